//! Tables of Marathon apps, tasks, versions and deployments. JSON output is
//! Marathon's own JSON (the typed model, re-serialized), so `--json` reads
//! the same against `mesos marathon` and a real Marathon.

use crate::output::{render_plain, render_tty, Output};
use crate::wire::marathon::{AppView, Deployment, MarathonTask};

/// Render headers and rows for the terminal or a pipe.
pub fn table(out: &Output, headers: &[&str], rows: &[Vec<String>]) -> String {
    if out.stdout_tty {
        render_tty(headers, rows)
    } else {
        render_plain(headers, rows)
    }
}

fn dash(s: &str) -> String {
    if s.trim().is_empty() {
        "-".into()
    } else {
        s.to_string()
    }
}

fn num(n: f64) -> String {
    crate::tasks::format::number(n)
}

/// What an app runs: `cmd`, else `args` joined, else the container image.
pub fn command_of(a: &AppView) -> String {
    if let Some(c) = &a.app.cmd {
        return crate::error::one_line(c);
    }
    if !a.app.args.is_empty() {
        return a.app.args.join(" ");
    }
    a.app
        .container
        .as_ref()
        .and_then(|c| c.docker.as_ref())
        .map(|d| d.image.clone())
        .unwrap_or_default()
}

/// The current action of the deployment touching `a`, if any.
fn deploying(a: &AppView, deployments: &[Deployment]) -> String {
    for d in deployments {
        if let Some(act) = d.current_actions.iter().find(|x| x.app == a.app.id) {
            return act.action.as_str().to_string();
        }
        if d.affected_apps.contains(&a.app.id) {
            return "waiting".into();
        }
    }
    if a.deployments.is_empty() {
        "-".into()
    } else {
        "yes".into()
    }
}

/// `mesos app list`: ID, INSTANCES (running/wanted), HEALTHY, CPUS, MEM,
/// DISK, DEPLOYMENT, CMD.
pub fn app_rows(
    apps: &[AppView],
    deployments: &[Deployment],
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let headers = vec![
        "ID",
        "INSTANCES",
        "HEALTHY",
        "CPUS",
        "MEM",
        "DISK",
        "DEPLOYMENT",
        "CMD",
    ];
    let rows = apps
        .iter()
        .map(|a| {
            vec![
                a.app.id.to_string(),
                format!("{}/{}", a.tasks_running, a.app.instances),
                if a.app.health_checks.is_empty() {
                    "-".into()
                } else {
                    format!("{}/{}", a.tasks_healthy, a.app.instances)
                },
                num(a.app.cpus),
                num(a.app.mem),
                num(a.app.disk),
                deploying(a, deployments),
                dash(&command_of(a)),
            ]
        })
        .collect();
    (headers, rows)
}

/// `mesos app show`: key/value lines.
pub fn app_lines(a: &AppView) -> Vec<(&'static str, String)> {
    let app = &a.app;
    let mut l: Vec<(&'static str, String)> = vec![
        ("id", app.id.to_string()),
        ("cmd", dash(&command_of(a))),
        ("instances", app.instances.to_string()),
        (
            "tasks",
            format!(
                "{} running, {} staged, {} healthy, {} unhealthy",
                a.tasks_running, a.tasks_staged, a.tasks_healthy, a.tasks_unhealthy
            ),
        ),
        (
            "resources",
            format!(
                "cpus {}, mem {}, disk {}, gpus {}",
                num(app.cpus),
                num(app.mem),
                num(app.disk),
                num(app.gpus)
            ),
        ),
        ("user", dash(app.user.as_deref().unwrap_or(""))),
        ("version", dash(app.version.as_deref().unwrap_or(""))),
    ];
    if let Some(v) = &app.version_info {
        l.push(("last config change", v.last_config_change_at.clone()));
        l.push(("last scaling", v.last_scaling_at.clone()));
    }
    let ports: Vec<String> = app.service_ports().iter().map(u32::to_string).collect();
    if !ports.is_empty() {
        l.push(("ports", ports.join(",")));
    }
    if !app.constraints.is_empty() {
        let c: Vec<String> = app.constraints.iter().map(|c| c.0.join(":")).collect();
        l.push(("constraints", c.join(", ")));
    }
    if !app.labels.is_empty() {
        let c: Vec<String> = app.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        l.push(("labels", c.join(", ")));
    }
    if !app.env.is_empty() {
        let c: Vec<&str> = app.env.keys().map(String::as_str).collect();
        l.push(("env", c.join(", ")));
    }
    if !app.health_checks.is_empty() {
        let c: Vec<String> = app
            .health_checks
            .iter()
            .map(|h| {
                let mut s = serde_json::to_string(&h.protocol)
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string();
                if let Some(p) = &h.path {
                    s.push(' ');
                    s.push_str(p);
                }
                s.push_str(&format!(" every {}s", h.interval_seconds));
                s
            })
            .collect();
        l.push(("health checks", c.join(", ")));
    }
    let deployments: Vec<&str> = a.deployments.iter().map(|d| d.id.as_str()).collect();
    l.push(("deployments", dash(&deployments.join(", "))));
    if let Some(f) = &a.last_task_failure {
        l.push(("last task failure", super::follow::failure_line(f)));
        l.push(("failed at", dash(&f.timestamp)));
    }
    l
}

/// `mesos app tasks`: ID, HOST, STATE, PORTS, HEALTHY, STARTED, VERSION.
pub fn task_rows(tasks: &[MarathonTask]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let headers = vec![
        "ID", "HOST", "STATE", "PORTS", "HEALTHY", "STARTED", "VERSION",
    ];
    let rows = tasks
        .iter()
        .map(|t| {
            let ports: Vec<String> = t.ports.iter().map(u32::to_string).collect();
            let healthy = match &t.health_check_results {
                None => "-".to_string(),
                Some(r) if r.is_empty() => "-".to_string(),
                Some(r) if r.iter().all(|h| h.alive) => "yes".to_string(),
                Some(_) => "no".to_string(),
            };
            vec![
                t.id.clone(),
                dash(&t.host),
                dash(&t.state),
                dash(&ports.join(",")),
                healthy,
                dash(t.started_at.as_deref().unwrap_or("")),
                dash(&t.version),
            ]
        })
        .collect();
    (headers, rows)
}

/// `mesos deployment list`: ID, APPS, STEP, ACTIONS, VERSION.
pub fn deployment_rows(ds: &[Deployment]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let headers = vec!["ID", "APPS", "STEP", "ACTIONS", "VERSION"];
    let rows = ds
        .iter()
        .map(|d| {
            let apps: Vec<String> = d.affected_apps.iter().map(ToString::to_string).collect();
            let actions: Vec<String> = d
                .current_actions
                .iter()
                .map(|a| format!("{} {}", a.action.as_str(), a.app))
                .collect();
            vec![
                d.id.clone(),
                dash(&apps.join(",")),
                format!("{}/{}", d.current_step, d.total_steps),
                dash(&actions.join(", ")),
                d.version.clone(),
            ]
        })
        .collect();
    (headers, rows)
}
