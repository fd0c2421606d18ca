//! The driver's view of placement: launches of one app from one offer.
//! Delegates to `crate::marathon::placement` once that lane lands; until
//! then a minimal builder (cpus/mem/disk, host ports from the offer, the
//! task environment) stands in.

use crate::marathon::core::Instance;
use crate::resources::Resources;
use crate::wire::agent_v1::{CommandInfo, EnvVariable, Environment, Id, TaskInfo};
use crate::wire::event::Offer;
use crate::wire::marathon::AppDefinition;

/// One task to launch.
#[derive(Clone, Debug)]
pub struct Placed {
    pub task_info: TaskInfo,
    pub task_id: String,
    pub host_ports: Vec<u32>,
    pub agent_id: String,
    pub hostname: String,
}

/// What placement needs besides the app and the offer.
#[derive(Clone, Debug)]
pub struct PlaceCtx {
    pub role: String,
    pub env_vars_prefix: Option<String>,
    pub local_port_range: (u32, u32),
}

/// Up to `wanted` launches of `app` from `offer` (with `placed` already
/// running, for constraints).
pub fn place(
    app: &AppDefinition,
    offer: &Offer,
    _placed: &[&Instance],
    wanted: usize,
    ctx: &PlaceCtx,
) -> Vec<Placed> {
    let Ok(mut avail) = Resources::from_wire(&offer.resources) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let role = offer.allocation_info.as_ref().map(|a| a.role.clone());
    while out.len() < wanted {
        let nports = app.port_count();
        let ranges = avail.ranges("ports");
        let mut ports = Vec::new();
        'outer: for (b, e) in ranges {
            for p in b..=e {
                if ports.len() == nports {
                    break 'outer;
                }
                ports.push(p as u32);
            }
        }
        if ports.len() < nports {
            break;
        }
        let mut text = format!("cpus:{};mem:{}", app.cpus, app.mem);
        if app.disk > 0.0 {
            text.push_str(&format!(";disk:{}", app.disk));
        }
        if !ports.is_empty() {
            let r: Vec<String> = ports.iter().map(|p| format!("[{p}-{p}]")).collect();
            text.push_str(&format!(";ports:{}", r.join(",").replace("],[", ",")));
        }
        let Ok(need) = Resources::parse(&text, "*") else {
            break;
        };
        if !avail.contains(&need) {
            break;
        }
        avail.subtract(&need);
        let task_id = format!("{}.{}", app.id.safe(), uuid::Uuid::new_v4());
        out.push(Placed {
            task_info: task_info(app, offer, &task_id, &ports, need, role.as_deref(), ctx),
            task_id,
            host_ports: ports,
            agent_id: offer.agent_id.value.clone(),
            hostname: offer.hostname.clone(),
        });
    }
    out
}

fn task_info(
    app: &AppDefinition,
    offer: &Offer,
    task_id: &str,
    ports: &[u32],
    res: Resources,
    role: Option<&str>,
    ctx: &PlaceCtx,
) -> TaskInfo {
    let pre = ctx.env_vars_prefix.clone().unwrap_or_default();
    let mut env: Vec<(String, String)> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        env.push((format!("{pre}PORT{i}"), p.to_string()));
    }
    if let Some(p) = ports.first() {
        env.push((format!("{pre}PORT"), p.to_string()));
    }
    if !ports.is_empty() {
        let all: Vec<String> = ports.iter().map(u32::to_string).collect();
        env.push((format!("{pre}PORTS"), all.join(",")));
    }
    env.push((format!("{pre}HOST"), offer.hostname.clone()));
    env.push(("MARATHON_APP_ID".into(), app.id.to_string()));
    env.push((
        "MARATHON_APP_VERSION".into(),
        app.version.clone().unwrap_or_default(),
    ));
    env.push(("MESOS_TASK_ID".into(), task_id.to_string()));
    for (k, v) in &app.env {
        if let Some(v) = v.as_str() {
            env.push((k.clone(), v.to_string()));
        }
    }
    let command = CommandInfo {
        shell: Some(app.cmd.is_some()),
        value: app.cmd.clone().or_else(|| app.args.first().cloned()),
        arguments: if app.cmd.is_some() {
            Vec::new()
        } else {
            app.args.clone()
        },
        environment: Some(Environment {
            variables: env
                .into_iter()
                .map(|(name, value)| EnvVariable {
                    name,
                    value: Some(value),
                    ..EnvVariable::default()
                })
                .collect(),
        }),
        user: app.user.clone(),
        ..CommandInfo::default()
    };
    TaskInfo {
        name: Some(app.id.task_name()),
        task_id: Id::new(task_id),
        agent_id: Some(offer.agent_id.clone()),
        resources: res.to_wire(role),
        command: Some(command),
        ..TaskInfo::default()
    }
}
