//! App validation with Marathon 1.5's rules, JSON paths (`/cpus`,
//! `/constraints(0)`, `/upgradeStrategy/minimumHealthCapacity`) and
//! messages. Errors on one path are grouped into one [`ErrorDetail`], in
//! the order found. Expects a normalized app ([`AppDefinition::normalize`]).

use std::collections::BTreeSet;

use crate::wire::marathon::{AppDefinition, ErrorDetail, HealthProtocol, PathId};

use super::constraints::full_regex;

/// The id segment pattern as Marathon prints it in its message.
const ID_PATTERN: &str = r"^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])|(\.|\.\.)$";
const EXECUTOR_PATTERN: &str = "^(//cmd)|(/?[^/]+(/[^/]+)*)|$";
const PORT_NAME_PATTERN: &str = "^[a-z0-9-]+$";
const CMD_ARGS_CONTAINER: &str =
    "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.";
const HC_PORT_INDEX: &str =
    "Health check port indices must address an element of the ports array or container port mappings.";
/// The label marking a single-instance app.
pub const SINGLE_INSTANCE_LABEL: &str = "MARATHON_SINGLE_INSTANCE_APP";

/// Collects (path, error) pairs, grouped by path on output.
#[derive(Default)]
struct Errors(Vec<ErrorDetail>);

impl Errors {
    fn add(&mut self, path: impl Into<String>, error: impl Into<String>) {
        let path = path.into();
        let error = error.into();
        match self.0.iter_mut().find(|d| d.path == path) {
            Some(d) => {
                if !d.errors.contains(&error) {
                    d.errors.push(error)
                }
            }
            None => self.0.push(ErrorDetail {
                path,
                errors: vec![error],
            }),
        }
    }
}

/// A number as Marathon's messages print a double (`1.0`, `-0.5`).
fn dbl(v: f64) -> String {
    format!("{v:?}")
}

/// Validate an app; empty when valid.
pub fn app(app: &AppDefinition) -> Vec<ErrorDetail> {
    let mut e = Errors::default();
    id(&mut e, &app.id);
    command(&mut e, app);
    resources(&mut e, app);
    if !full_match(EXECUTOR_PATTERN, &app.executor) {
        e.add(
            "/executor",
            format!("must fully match regular expression '{EXECUTOR_PATTERN}'"),
        );
    }
    if app
        .accepted_resource_roles
        .as_ref()
        .is_some_and(|r| r.is_empty())
    {
        e.add("/acceptedResourceRoles", "must not be empty");
    }
    for (i, c) in app.constraints.iter().enumerate() {
        if let Some(msg) = constraint(&c.0) {
            e.add(format!("/constraints({i})"), msg);
        }
    }
    ports(&mut e, app);
    health_checks(&mut e, app);
    readiness_checks(&mut e, app);
    single_instance(&mut e, app);
    for (i, f) in app.fetch.iter().enumerate() {
        if f.uri.trim().is_empty() {
            e.add(format!("/fetch({i})/uri"), "must not be empty");
        }
    }
    if let Some(d) = app.container.as_ref().and_then(|c| c.docker.as_ref()) {
        if d.image.trim().is_empty() {
            e.add("/container/docker/image", "must not be empty");
        }
    }
    for (i, dep) in app.dependencies.iter().enumerate() {
        if dep.invalid_segment().is_some() {
            e.add(
                format!("/dependencies({i})"),
                format!("must fully match regular expression '{ID_PATTERN}'"),
            );
        }
    }
    e.0
}

/// An app inside a group body must be a direct child of the group (1.5's
/// message; the path is `/id` — prefix it with [`prefixed`]).
pub fn group_member(group: &PathId, app: &PathId) -> Option<ErrorDetail> {
    (app.parent() != *group || app.is_root()).then(|| ErrorDetail {
        path: "/id".into(),
        errors: vec![format!(
            "Identifier is not child of {group}. Hint: use relative paths."
        )],
    })
}

/// The details of a nested object under `prefix` (`/apps(0)`): `/id`
/// becomes `/apps(0)/id`, `/` becomes `/apps(0)`.
pub fn prefixed(details: Vec<ErrorDetail>, prefix: &str) -> Vec<ErrorDetail> {
    details
        .into_iter()
        .map(|mut d| {
            d.path = if d.path == "/" {
                prefix.to_string()
            } else {
                format!("{prefix}{}", d.path)
            };
            d
        })
        .collect()
}

fn full_match(pattern: &str, s: &str) -> bool {
    regex_lite::Regex::new(&format!("^(?:{pattern})$"))
        .map(|re| re.is_match(s))
        .unwrap_or(false)
}

fn id(e: &mut Errors, id: &PathId) {
    if id.is_root() {
        e.add("/", "must not be root");
        return;
    }
    if id.invalid_segment().is_some() {
        e.add(
            "/id",
            format!("must fully match regular expression '{ID_PATTERN}'"),
        );
    }
    if let Some(last) = id.segments().last() {
        if ["restart", "tasks", "versions"].contains(&last.as_str()) {
            e.add(
                "/id",
                "must not end with any of the following reserved keywords: restart, tasks, versions",
            );
        }
    }
}

fn command(e: &mut Errors, app: &AppDefinition) {
    let cmd = app.cmd.is_some();
    let args = !app.args.is_empty();
    let container = app
        .container
        .as_ref()
        .is_some_and(|c| c.docker.is_some() && (c.kind == "DOCKER" || c.kind == "MESOS"));
    if !((cmd ^ args) || (!(cmd && args) && container)) {
        e.add("/", CMD_ARGS_CONTAINER);
    }
    if app.cmd.as_deref().is_some_and(|c| c.trim().is_empty()) {
        e.add("/cmd", "must not be an empty string");
    }
}

fn resources(e: &mut Errors, app: &AppDefinition) {
    for (name, v) in [
        ("cpus", app.cpus),
        ("mem", app.mem),
        ("disk", app.disk),
        ("gpus", app.gpus),
    ] {
        if !(v >= 0.0) {
            e.add(
                format!("/{name}"),
                format!("got {}, expected 0.0 or more", dbl(v)),
            );
        }
    }
    if !(app.backoff_factor >= 1.0) {
        e.add("/backoffFactor", "is less than 1");
    }
    if !(app.backoff_seconds >= 0.0) {
        e.add("/backoffSeconds", "is less than 0");
    }
    if !(app.max_launch_delay_seconds >= 0.0) {
        e.add("/maxLaunchDelaySeconds", "is less than 0");
    }
    if app
        .task_kill_grace_period_seconds
        .is_some_and(|g| !(g >= 0.0))
    {
        e.add("/taskKillGracePeriodSeconds", "is less than 0");
    }
    let s = &app.upgrade_strategy;
    for (name, v) in [
        ("minimumHealthCapacity", s.minimum_health_capacity),
        ("maximumOverCapacity", s.maximum_over_capacity),
    ] {
        let path = format!("/upgradeStrategy/{name}");
        if v > 1.0 {
            e.add(path, "is greater than 1");
        } else if !(v >= 0.0) {
            e.add(path, "is less than 0");
        }
    }
}

/// The error of one constraint, if any (Marathon 1.5's messages; `IS`
/// accepted as 1.6+ does, `CLUSTER` without a value pins the first
/// placement).
pub fn constraint(c: &[String]) -> Option<String> {
    let (field, op, value) = (c.first(), c.get(1), c.get(2));
    let Some(op) = op else {
        return Some(match field {
            None => "Missing field and operator".into(),
            Some(_) => format!("illegal constraint specification {}", c.join(",")),
        });
    };
    if c.len() > 3 {
        return Some(format!("illegal constraint specification {}", c.join(",")));
    }
    let int = |v: &str| v.trim().parse::<i64>().is_ok();
    match op.as_str() {
        "UNIQUE" => value.map(|_| "Value specified but not used".into()),
        "CLUSTER" => None,
        "GROUP_BY" => value
            .filter(|v| !int(v))
            .map(|_| "Value was specified but is not a number".into()),
        "MAX_PER" => match value {
            None => Some("Missing value".into()),
            Some(v) if !int(v) => Some("Value was specified but is not a number".into()),
            Some(_) => None,
        },
        "LIKE" | "UNLIKE" => match value {
            None => Some("A regular expression value must be provided".into()),
            Some(v) if full_regex(v).is_none() => {
                Some(format!("'{v}' is not a valid regular expression"))
            }
            Some(_) => None,
        },
        "IS" => value.is_none().then(|| "Missing value".into()),
        other => Some(format!("illegal constraint operator {other}")),
    }
}

/// The app's port names and the number of ports (definitions, else
/// container port mappings).
fn port_names(app: &AppDefinition) -> (Vec<String>, usize) {
    if let Some(defs) = &app.port_definitions {
        return (
            defs.iter().filter_map(|d| d.name.clone()).collect(),
            defs.len(),
        );
    }
    let maps = app
        .container
        .as_ref()
        .map(|c| c.port_mappings().to_vec())
        .unwrap_or_default();
    (
        maps.iter().filter_map(|m| m.name.clone()).collect(),
        maps.len(),
    )
}

fn unique<T: Ord + Clone>(items: &[T]) -> bool {
    items.iter().cloned().collect::<BTreeSet<T>>().len() == items.len()
}

fn ports(e: &mut Errors, app: &AppDefinition) {
    if let Some(defs) = &app.port_definitions {
        for (i, d) in defs.iter().enumerate() {
            if d.port > 65535 {
                e.add(
                    format!("/portDefinitions({i})/port"),
                    format!("got {}, expected between 0 and 65535", d.port),
                );
            }
            if d.name
                .as_deref()
                .is_some_and(|n| !full_match(PORT_NAME_PATTERN, n))
            {
                e.add(
                    format!("/portDefinitions({i})/name"),
                    format!("must fully match regular expression '{PORT_NAME_PATTERN}'"),
                );
            }
        }
        let names: Vec<String> = defs.iter().filter_map(|d| d.name.clone()).collect();
        if !unique(&names) {
            e.add("/portDefinitions", "Port names must be unique.");
        }
        let fixed: Vec<u32> = defs.iter().map(|d| d.port).filter(|&p| p != 0).collect();
        if !unique(&fixed) {
            e.add("/portDefinitions", "Ports must be unique.");
        }
        if !defs.is_empty() && !app.host_networking() {
            e.add("/", "portDefinitions are only allowed with host-networking");
        }
    }
    if let Some(c) = &app.container {
        let maps = c.port_mappings();
        for (i, m) in maps.iter().enumerate() {
            let base = format!("/container/portMappings({i})");
            for (field, v) in [
                ("containerPort", Some(m.container_port)),
                ("hostPort", m.host_port),
                ("servicePort", Some(m.service_port)),
            ] {
                if let Some(v) = v.filter(|&v| v > 65535) {
                    e.add(
                        format!("{base}/{field}"),
                        format!("got {v}, expected between 0 and 65535"),
                    );
                }
            }
            if m.name
                .as_deref()
                .is_some_and(|n| !full_match(PORT_NAME_PATTERN, n))
            {
                e.add(
                    format!("{base}/name"),
                    format!("must fully match regular expression '{PORT_NAME_PATTERN}'"),
                );
            }
        }
        let names: Vec<String> = maps.iter().filter_map(|m| m.name.clone()).collect();
        if !unique(&names) {
            e.add("/container/portMappings", "Port names must be unique.");
        }
        let fixed: Vec<u32> = maps
            .iter()
            .map(|m| m.service_port)
            .filter(|&p| p != 0)
            .collect();
        if !unique(&fixed) {
            e.add("/container/portMappings", "Service ports must be unique.");
        }
        if !maps.is_empty() && app.networks.iter().any(|n| n.mode == "host") {
            e.add("/", "portMappings are not allowed with host-networking");
        }
    }
}

fn health_checks(e: &mut Errors, app: &AppDefinition) {
    let (_, count) = port_names(app);
    let mut mesos_checks = 0;
    for (i, hc) in app.health_checks.iter().enumerate() {
        let path = format!("/healthChecks({i})");
        if hc.protocol.is_mesos() && hc.protocol != HealthProtocol::Command {
            mesos_checks += 1;
        }
        if hc.protocol == HealthProtocol::Command {
            if hc
                .command
                .as_ref()
                .is_none_or(|c| c.value.trim().is_empty())
            {
                e.add(format!("{path}/command"), "not defined");
            }
            continue;
        }
        if let Some(p) = hc.port.filter(|&p| p > 65535) {
            e.add(
                format!("{path}/port"),
                format!("got {p}, expected between 0 and 65535"),
            );
        }
        let index_ok = match hc.port_index {
            Some(idx) => (idx as usize) < count,
            None => count == 1,
        };
        if !index_ok && hc.port.is_none() {
            e.add(path, HC_PORT_INDEX);
        }
    }
    if mesos_checks > 1 {
        e.add(
            "/",
            "AppDefinition can contain at most one Mesos health check",
        );
    }
}

fn readiness_checks(e: &mut Errors, app: &AppDefinition) {
    if app.readiness_checks.len() > 1 {
        e.add(
            "/readinessChecks",
            format!("got {}, expected 1 or less", app.readiness_checks.len()),
        );
    }
    let (names, _) = port_names(app);
    for (i, rc) in app.readiness_checks.iter().enumerate() {
        let path = format!("/readinessChecks({i})");
        if !names.contains(&rc.port_name) {
            e.add(
                format!("{path}/portName"),
                format!("No port definition reference for portName {}", rc.port_name),
            );
        }
        if rc.name.is_empty() {
            e.add(format!("{path}/name"), "must not be empty");
        }
        if rc.path.is_empty() {
            e.add(format!("{path}/path"), "must not be empty");
        }
        if rc.timeout_seconds >= rc.interval_seconds {
            e.add(
                format!("{path}/timeoutSeconds"),
                format!(
                    "got {}, expected less than {}",
                    rc.timeout_seconds, rc.interval_seconds
                ),
            );
        }
        if rc.timeout_seconds == 0 {
            e.add(
                format!("{path}/timeoutSeconds"),
                "got 0, expected more than 0",
            );
        }
        if rc.http_status_codes_for_ready.is_empty() {
            e.add(
                format!("{path}/httpStatusCodesForReady"),
                "must not be empty",
            );
        }
    }
}

fn single_instance(e: &mut Errors, app: &AppDefinition) {
    if app.labels.get(SINGLE_INSTANCE_LABEL).map(String::as_str) != Some("true") {
        return;
    }
    if app.instances > 1 {
        e.add("/", "Single instance app may only have one instance");
    }
    let s = &app.upgrade_strategy;
    for (name, v) in [
        ("minimumHealthCapacity", s.minimum_health_capacity),
        ("maximumOverCapacity", s.maximum_over_capacity),
    ] {
        if v != 0.0 {
            e.add(
                format!("/upgradeStrategy/{name}"),
                format!("got {}, expected 0.0", dbl(v)),
            );
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
