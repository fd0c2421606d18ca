//! The Mesos `TaskInfo` of one Marathon task (docs/marathon.md,
//! "Scheduling rules"): name, command, user, environment, fetch URIs,
//! resources, kill policy, labels, Mesos-side health check, discovery
//! info and, for Docker apps, the container.

use crate::wire::agent_v1::{
    CommandInfo, CommandUri, DurationInfo, EnvVariable, Environment, Id, KillPolicy, TaskInfo,
};
use crate::wire::health_check::{HealthCheck, HttpCheckInfo, TcpCheckInfo};
use crate::wire::marathon::{AppDefinition, HealthProtocol};
use crate::wire::resources::Resource;

use super::env::{task_env, PortAssignment};
use super::mesos::{self, to_value};

/// What the launch logic needs from the scheduler's configuration.
#[derive(Clone, Copy, Debug, Default)]
pub struct LaunchCtx<'a> {
    /// The framework's roles (`["*"]` by default).
    pub roles: &'a [String],
    /// `--mesos_user`: the task user when the app sets none.
    pub default_user: Option<&'a str>,
    /// `--env_vars_prefix` (for `PORT*` and `HOST`).
    pub env_vars_prefix: Option<&'a str>,
    /// `--default_accepted_resource_roles`.
    pub default_accepted_roles: Option<&'a [String]>,
}

/// How the app's tasks are networked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetMode {
    Host,
    /// `container/bridge` (Docker `BRIDGE`).
    Bridge,
    /// `container` (a named user network, Docker `USER`).
    User,
}

/// The app's network mode: `networks[0].mode`, else the ≤1.4
/// `container.docker.network`, else host.
pub fn net_mode(app: &AppDefinition) -> NetMode {
    if let Some(n) = app.networks.first() {
        return match n.mode.as_str() {
            "container/bridge" => NetMode::Bridge,
            "container" => NetMode::User,
            _ => NetMode::Host,
        };
    }
    match app
        .container
        .as_ref()
        .and_then(|c| c.docker.as_ref())
        .and_then(|d| d.network.as_deref())
    {
        Some("BRIDGE") => NetMode::Bridge,
        Some("USER") => NetMode::User,
        _ => NetMode::Host,
    }
}

/// Build the `TaskInfo` of task `task_id` of `app` on an agent, with the
/// resources taken from the offer and the ports assigned.
pub fn build(
    app: &AppDefinition,
    ctx: &LaunchCtx,
    task_id: &str,
    agent_id: &str,
    hostname: &str,
    resources: Vec<Resource>,
    ports: &[PortAssignment],
) -> TaskInfo {
    let env = task_env(app, task_id, hostname, ports, ctx.env_vars_prefix);
    let environment = Environment {
        variables: env
            .into_iter()
            .map(|(name, value)| EnvVariable {
                name,
                value: Some(value),
                ..Default::default()
            })
            .collect(),
    };
    TaskInfo {
        name: Some(app.id.task_name()),
        task_id: Id::new(task_id),
        agent_id: Some(Id::new(agent_id)),
        resources,
        command: Some(command(app, ctx, environment.clone())),
        kill_policy: app.task_kill_grace_period_seconds.map(|secs| KillPolicy {
            grace_period: Some(DurationInfo {
                nanoseconds: (secs * 1e9) as i64,
            }),
            ..Default::default()
        }),
        container: container(app, ports).map(|c| to_value(&c)),
        labels: (!app.labels.is_empty()).then(|| to_value(&mesos::Labels::from_map(&app.labels))),
        discovery: Some(to_value(&discovery(app, ports))),
        health_check: health_check(app, ports, &environment),
        ..Default::default()
    }
}

/// `CommandInfo`: `cmd` runs through the shell; `args` is an argv
/// (`shell: false`); a Docker app without either runs the image's
/// entrypoint.
fn command(app: &AppDefinition, ctx: &LaunchCtx, environment: Environment) -> CommandInfo {
    let mut c = CommandInfo {
        environment: Some(environment),
        user: app
            .user
            .clone()
            .or_else(|| ctx.default_user.map(str::to_string)),
        uris: app
            .fetch
            .iter()
            .map(|f| CommandUri {
                value: f.uri.clone(),
                executable: Some(f.executable),
                extract: Some(f.extract),
                cache: Some(f.cache),
                output_file: f.dest_path.clone(),
            })
            .collect(),
        ..Default::default()
    };
    match &app.cmd {
        Some(cmd) if !cmd.is_empty() => c.value = Some(cmd.clone()),
        _ => c.shell = Some(false),
    }
    if !app.args.is_empty() {
        c.shell = Some(false);
        c.arguments = app.args.clone();
        // The command executor runs `value` with `arguments` as argv; a
        // container runs its entrypoint with them.
        if app.container.is_none() {
            c.value = Some(app.args[0].clone());
        }
    }
    c
}

/// The port a Mesos-side check probes: `port` when given, else the
/// assigned port of `portIndex` (the container port on container
/// networks, where the check runs inside the task's network).
fn check_port(
    app: &AppDefinition,
    hc_port: Option<u32>,
    index: Option<u32>,
    ports: &[PortAssignment],
) -> u32 {
    if let Some(p) = hc_port {
        return p;
    }
    let Some(p) = ports.get(index.unwrap_or(0) as usize) else {
        return 0;
    };
    match (net_mode(app), p.container_port) {
        (NetMode::Host, _) | (_, None) => p.effective,
        (_, Some(cp)) => cp,
    }
}

/// The first `COMMAND` / `MESOS_*` health check as a Mesos `HealthCheck`
/// (Marathon-side `HTTP`/`HTTPS`/`TCP` checks are run by the scheduler).
fn health_check(
    app: &AppDefinition,
    ports: &[PortAssignment],
    environment: &Environment,
) -> Option<HealthCheck> {
    let hc = app.health_checks.iter().find(|h| h.protocol.is_mesos())?;
    let mut out = HealthCheck {
        delay_seconds: Some(
            hc.delay_seconds
                .unwrap_or(crate::wire::marathon::DEFAULT_CHECK_DELAY_SECONDS) as f64,
        ),
        interval_seconds: Some(hc.interval_seconds as f64),
        timeout_seconds: Some(hc.timeout_seconds as f64),
        consecutive_failures: Some(hc.max_consecutive_failures),
        grace_period_seconds: Some(hc.grace_period_seconds as f64),
        ..HealthCheck::default()
    };
    let port = || Some(u64::from(check_port(app, hc.port, hc.port_index, ports)));
    match hc.protocol {
        HealthProtocol::Command => {
            out.kind = Some("COMMAND".into());
            out.command = Some(CommandInfo {
                shell: Some(true),
                value: Some(hc.command.as_ref().map(|c| c.value.clone())?),
                environment: Some(environment.clone()),
                ..CommandInfo::default()
            });
        }
        HealthProtocol::MesosHttp | HealthProtocol::MesosHttps => {
            out.kind = Some("HTTP".into());
            out.http = Some(HttpCheckInfo {
                scheme: Some(if hc.protocol == HealthProtocol::MesosHttps {
                    "https".into()
                } else {
                    "http".into()
                }),
                port: port(),
                path: Some(hc.path.clone().unwrap_or_else(|| "/".into())),
                ..HttpCheckInfo::default()
            });
        }
        HealthProtocol::MesosTcp => {
            out.kind = Some("TCP".into());
            out.tcp = Some(TcpCheckInfo {
                port: port(),
                ..TcpCheckInfo::default()
            });
        }
        _ => return None,
    }
    Some(out)
}

/// `DiscoveryInfo`: the task name and one port per port and protocol.
fn discovery(app: &AppDefinition, ports: &[PortAssignment]) -> mesos::DiscoveryInfo {
    let mut out = Vec::new();
    for p in ports {
        let mut labels = p.labels.clone();
        // Port mappings say whether the number is the host's or the
        // container's, as Marathon's do.
        if p.container_port.is_some() {
            let scope = if p.host_port.is_some() {
                "host"
            } else {
                "container"
            };
            labels.insert("network-scope".into(), scope.into());
        }
        for proto in p
            .protocol
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            out.push(mesos::DiscoveryPort {
                number: p.effective,
                name: p.name.clone(),
                protocol: proto.to_string(),
                labels: (!labels.is_empty()).then(|| mesos::Labels::from_map(&labels)),
            });
        }
    }
    mesos::DiscoveryInfo {
        visibility: "FRAMEWORK".into(),
        name: app.id.task_name(),
        ports: mesos::DiscoveryPorts { ports: out },
    }
}

/// `ContainerInfo` for apps with a `container`: `DOCKER` (image, network,
/// port mappings, parameters) or `MESOS` (a Docker image run by the Mesos
/// containerizer, or volumes only).
fn container(app: &AppDefinition, ports: &[PortAssignment]) -> Option<mesos::ContainerInfo> {
    let c = app.container.as_ref()?;
    let mode = net_mode(app);
    let mut mappings = Vec::new();
    if mode != NetMode::Host {
        for p in ports {
            if let (Some(host), Some(cp)) = (p.host_port, p.container_port) {
                for proto in p
                    .protocol
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                {
                    mappings.push((host, cp, proto.to_string()));
                }
            }
        }
    }
    let volumes = c
        .volumes
        .iter()
        .filter(|v| v.persistent.is_none() && v.external.is_none())
        .map(|v| mesos::Volume {
            container_path: v.container_path.clone(),
            host_path: v.host_path.clone(),
            mode: v.mode.clone(),
        })
        .collect();
    let user_network = || {
        app.networks
            .iter()
            .find(|n| n.mode == "container")
            .and_then(|n| n.name.clone())
    };
    if c.kind == "DOCKER" {
        let d = c.docker.as_ref()?;
        let network = match mode {
            NetMode::Host => "HOST",
            NetMode::Bridge => "BRIDGE",
            NetMode::User => "USER",
        };
        return Some(mesos::ContainerInfo {
            kind: "DOCKER".into(),
            docker: Some(mesos::DockerInfo {
                image: d.image.clone(),
                network: network.into(),
                port_mappings: mappings
                    .into_iter()
                    .map(
                        |(host_port, container_port, protocol)| mesos::DockerPortMapping {
                            host_port,
                            container_port,
                            protocol,
                        },
                    )
                    .collect(),
                privileged: d.privileged,
                parameters: d
                    .parameters
                    .iter()
                    .map(|p| mesos::Parameter {
                        key: p.key.clone(),
                        value: p.value.clone(),
                    })
                    .collect(),
                force_pull_image: d.force_pull_image,
            }),
            mesos: None,
            volumes,
            network_infos: if mode == NetMode::User {
                vec![mesos::NetworkInfo {
                    name: user_network(),
                    port_mappings: Vec::new(),
                }]
            } else {
                Vec::new()
            },
        });
    }
    let network_infos = match mode {
        NetMode::Host => Vec::new(),
        NetMode::Bridge | NetMode::User => vec![mesos::NetworkInfo {
            name: if mode == NetMode::Bridge {
                Some("mesos-bridge".into())
            } else {
                user_network()
            },
            port_mappings: mappings
                .into_iter()
                .map(
                    |(host_port, container_port, protocol)| mesos::NetworkPortMapping {
                        host_port,
                        container_port,
                        protocol,
                    },
                )
                .collect(),
        }],
    };
    Some(mesos::ContainerInfo {
        kind: "MESOS".into(),
        docker: None,
        mesos: Some(mesos::MesosInfo {
            image: c.docker.as_ref().map(|d| mesos::Image {
                kind: "DOCKER".into(),
                docker: mesos::ImageDocker {
                    name: d.image.clone(),
                },
                cached: !d.force_pull_image,
            }),
        }),
        volumes,
        network_infos,
    })
}

#[cfg(test)]
#[path = "taskinfo_tests.rs"]
mod tests;
