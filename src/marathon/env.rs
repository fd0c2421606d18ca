//! The task environment Marathon gives a task (docs/marathon.md,
//! "Scheduling rules"): ports, host, app id/version/resources/labels, the
//! task id, then the app's own `env` (which wins on conflicts). The
//! `--env_vars_prefix` applies to `PORT*` and `HOST` only.

use std::collections::BTreeMap;

use crate::wire::marathon::AppDefinition;

/// One port of a task: what the app asked for and what it got.
#[derive(Clone, Debug, PartialEq)]
pub struct PortAssignment {
    pub name: Option<String>,
    /// `tcp`, `udp` or `udp,tcp`.
    pub protocol: String,
    pub labels: BTreeMap<String, String>,
    /// The app's service port (`portDefinitions[].port`, `servicePort`).
    pub service_port: u32,
    /// The host port taken from the offer, if any.
    pub host_port: Option<u32>,
    /// The container port (container networking), if any.
    pub container_port: Option<u32>,
    /// The `PORTn` value: the host port, else the container port (or a
    /// random one when that is 0).
    pub effective: u32,
}

/// Label keys and values of this length or more are left out.
const MAX_LABEL_LEN: usize = 512;

/// `MARATHON_APP_LABEL_<NAME>`'s name: every run of characters outside
/// `[A-Za-z0-9_]` becomes `_`, upper-cased.
pub fn sanitize_label_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut in_run = false;
    for c in key.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_uppercase());
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out
}

/// A resource amount as Marathon writes it (Java's `Double.toString`:
/// `0.1`, `128.0`).
fn java_double(v: f64) -> String {
    format!("{v:?}")
}

/// An ordered environment where a later value replaces an earlier one.
#[derive(Default)]
struct Env(Vec<(String, String)>);

impl Env {
    fn set(&mut self, k: String, v: String) {
        self.0.retain(|(name, _)| *name != k);
        self.0.push((k, v));
    }
}

/// The environment of a task of `app` with id `task_id` on `hostname`
/// with `ports` assigned. Secret `env` values are skipped (no secret
/// store).
pub fn task_env(
    app: &AppDefinition,
    task_id: &str,
    hostname: &str,
    ports: &[PortAssignment],
    prefix: Option<&str>,
) -> Vec<(String, String)> {
    let p = prefix.unwrap_or("");
    let mut env = Env::default();
    for (i, port) in ports.iter().enumerate() {
        env.set(format!("{p}PORT{i}"), port.effective.to_string());
    }
    if let Some(first) = ports.first() {
        env.set(format!("{p}PORT"), first.effective.to_string());
        let all: Vec<String> = ports.iter().map(|x| x.effective.to_string()).collect();
        env.set(format!("{p}PORTS"), all.join(","));
    }
    for port in ports {
        let key = if port.service_port != 0 {
            port.service_port
        } else {
            port.effective
        };
        env.set(format!("{p}PORT_{key}"), port.effective.to_string());
        if let Some(name) = &port.name {
            env.set(
                format!("{p}PORT_{}", name.to_uppercase()),
                port.effective.to_string(),
            );
        }
    }
    env.set(format!("{p}HOST"), hostname.to_string());
    env.set("MARATHON_APP_ID".into(), app.id.to_string());
    if let Some(v) = &app.version {
        env.set("MARATHON_APP_VERSION".into(), v.clone());
    }
    if let Some(image) = app
        .container
        .as_ref()
        .and_then(|c| c.docker.as_ref())
        .map(|d| d.image.clone())
    {
        env.set("MARATHON_APP_DOCKER_IMAGE".into(), image);
    }
    env.set("MARATHON_APP_RESOURCE_CPUS".into(), java_double(app.cpus));
    env.set("MARATHON_APP_RESOURCE_MEM".into(), java_double(app.mem));
    env.set("MARATHON_APP_RESOURCE_DISK".into(), java_double(app.disk));
    env.set(
        "MARATHON_APP_RESOURCE_GPUS".into(),
        (app.gpus.max(0.0) as u64).to_string(),
    );
    let labels: Vec<(&String, &String)> = app
        .labels
        .iter()
        .filter(|(k, v)| k.len() < MAX_LABEL_LEN && v.len() < MAX_LABEL_LEN)
        .collect();
    let names: Vec<String> = labels.iter().map(|(k, _)| sanitize_label_name(k)).collect();
    env.set("MARATHON_APP_LABELS".into(), names.join(" "));
    for ((_, v), name) in labels.iter().zip(&names) {
        env.set(format!("MARATHON_APP_LABEL_{name}"), (*v).clone());
    }
    env.set("MESOS_TASK_ID".into(), task_id.to_string());
    for (k, v) in &app.env {
        if let Some(v) = v.as_str() {
            env.set(k.clone(), v.to_string());
        }
    }
    env.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::marathon::{EnvValue, PathId};

    fn port(service: u32, host: u32, name: Option<&str>) -> PortAssignment {
        PortAssignment {
            name: name.map(str::to_string),
            protocol: "tcp".into(),
            labels: BTreeMap::new(),
            service_port: service,
            host_port: Some(host),
            container_port: None,
            effective: host,
        }
    }

    fn get<'a>(env: &'a [(String, String)], k: &str) -> Option<&'a str> {
        env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
    }

    #[test]
    fn ports_host_app_and_task_variables() {
        let mut app = AppDefinition::new(PathId::parse("/prod/web"));
        app.cpus = 0.1;
        app.version = Some("2017-07-19T17:34:41.967Z".into());
        app.labels.insert("team-name".into(), "core".into());
        app.labels.insert("x".repeat(600), "skipped".into());
        let ports = [port(10000, 31001, Some("http")), port(0, 31002, None)];
        let env = task_env(&app, "prod_web.abc", "agent1", &ports, None);
        assert_eq!(get(&env, "PORT0"), Some("31001"));
        assert_eq!(get(&env, "PORT1"), Some("31002"));
        assert_eq!(get(&env, "PORT"), Some("31001"));
        assert_eq!(get(&env, "PORTS"), Some("31001,31002"));
        assert_eq!(get(&env, "PORT_10000"), Some("31001"));
        assert_eq!(get(&env, "PORT_31002"), Some("31002"));
        assert_eq!(get(&env, "PORT_HTTP"), Some("31001"));
        assert_eq!(get(&env, "HOST"), Some("agent1"));
        assert_eq!(get(&env, "MARATHON_APP_ID"), Some("/prod/web"));
        assert_eq!(
            get(&env, "MARATHON_APP_VERSION"),
            Some("2017-07-19T17:34:41.967Z")
        );
        assert_eq!(get(&env, "MARATHON_APP_RESOURCE_CPUS"), Some("0.1"));
        assert_eq!(get(&env, "MARATHON_APP_RESOURCE_MEM"), Some("128.0"));
        assert_eq!(get(&env, "MARATHON_APP_RESOURCE_DISK"), Some("0.0"));
        assert_eq!(get(&env, "MARATHON_APP_RESOURCE_GPUS"), Some("0"));
        assert_eq!(get(&env, "MARATHON_APP_LABELS"), Some("TEAM_NAME"));
        assert_eq!(get(&env, "MARATHON_APP_LABEL_TEAM_NAME"), Some("core"));
        assert_eq!(get(&env, "MESOS_TASK_ID"), Some("prod_web.abc"));
        assert!(env.iter().all(|(_, v)| v != "skipped"));
    }

    #[test]
    fn prefix_only_on_ports_and_host_and_user_env_wins_last() {
        let mut app = AppDefinition::new(PathId::parse("/a"));
        app.env
            .insert("MARATHON_APP_ID".into(), EnvValue::Value("mine".into()));
        app.env.insert(
            "TOKEN".into(),
            EnvValue::Secret {
                secret: "s1".into(),
            },
        );
        app.env.insert("PORT0".into(), EnvValue::Value("1".into()));
        let env = task_env(&app, "a.1", "h", &[port(0, 31000, None)], Some("MY_"));
        assert_eq!(get(&env, "MY_PORT0"), Some("31000"));
        assert_eq!(get(&env, "MY_HOST"), Some("h"));
        assert_eq!(get(&env, "HOST"), None);
        assert_eq!(get(&env, "MESOS_TASK_ID"), Some("a.1"));
        // User env is last and replaces the generated value.
        assert_eq!(get(&env, "MARATHON_APP_ID"), Some("mine"));
        let last = env
            .iter()
            .rev()
            .take(2)
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>();
        assert!(last.contains(&"MARATHON_APP_ID") && last.contains(&"PORT0"));
        // Secrets are not put in the environment.
        assert_eq!(get(&env, "TOKEN"), None);
        // No ports: no PORT/PORTS.
        let env = task_env(&app, "a.1", "h", &[], None);
        assert_eq!(get(&env, "PORT"), None);
        assert_eq!(get(&env, "PORTS"), None);
    }

    #[test]
    fn label_names_are_sanitised() {
        assert_eq!(sanitize_label_name("a.b--c"), "A_B_C");
        assert_eq!(sanitize_label_name("HAPROXY_0_VHOST"), "HAPROXY_0_VHOST");
        assert_eq!(sanitize_label_name("x y/z"), "X_Y_Z");
    }
}
