//! Service port assignment (docs/marathon.md, "Scheduling rules"): every
//! service port 0 (`portDefinitions[].port`, `portMappings[].servicePort`)
//! gets the lowest port of the scheduler's local range (`--local_port_min`
//! .. `--local_port_max`, 10000..20000 by default) that no app uses and
//! that the app does not ask for itself. Fixed service ports are kept as
//! given (Marathon lets two apps share one); with `requirePorts` they are
//! also the host ports the tasks need.

use std::collections::BTreeSet;

use crate::wire::marathon::{AppDefinition, ErrorDetail};

/// Assign the app's dynamic service ports in place. `used` holds the
/// service ports of every other app (on an update, the caller may first
/// put the app's previous ports back to keep them stable). `range` is
/// inclusive. Fails when the range has no free port left.
pub fn assign_service_ports(
    app: &mut AppDefinition,
    used: &BTreeSet<u32>,
    range: (u32, u32),
) -> Result<(), ErrorDetail> {
    let mut taken: BTreeSet<u32> = used.clone();
    taken.extend(app.service_ports().into_iter().filter(|&p| p != 0));
    let mut next = range.0;
    let mut pick = |path: String| -> Result<u32, ErrorDetail> {
        while next <= range.1 {
            let p = next;
            next += 1;
            if taken.insert(p) {
                return Ok(p);
            }
        }
        Err(ErrorDetail {
            path,
            errors: vec![format!(
                "no free service port left in {}-{}",
                range.0, range.1
            )],
        })
    };
    if let Some(defs) = app.port_definitions.as_mut() {
        for (i, d) in defs.iter_mut().enumerate() {
            if d.port == 0 {
                d.port = pick(format!("/portDefinitions({i})/port"))?;
            }
        }
        return Ok(());
    }
    if let Some(c) = app.container.as_mut() {
        let in_docker = c.port_mappings.is_none();
        let maps = if in_docker {
            c.docker.as_mut().and_then(|d| d.port_mappings.as_mut())
        } else {
            c.port_mappings.as_mut()
        };
        for (i, m) in maps.into_iter().flatten().enumerate() {
            if m.service_port == 0 {
                m.service_port = pick(format!("/container/portMappings({i})/servicePort"))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::marathon::{PathId, PortDefinition};

    fn app_with(ports: &[u32]) -> AppDefinition {
        let mut app = AppDefinition::new(PathId::parse("/a"));
        app.port_definitions = Some(ports.iter().map(|&p| PortDefinition::port(p)).collect());
        app
    }

    #[test]
    fn zero_ports_get_the_lowest_free_ports_unique_across_apps() {
        let mut app = app_with(&[0, 10001, 0]);
        let used: BTreeSet<u32> = [10000, 10002].into();
        assign_service_ports(&mut app, &used, (10000, 20000)).unwrap();
        // 10000 and 10002 are other apps', 10001 is the app's own fixed port.
        assert_eq!(app.service_ports(), vec![10003, 10001, 10004]);
    }

    #[test]
    fn fixed_ports_are_kept_even_when_another_app_has_them() {
        let mut app = app_with(&[80]);
        app.require_ports = true;
        assign_service_ports(&mut app, &[80].into(), (10000, 20000)).unwrap();
        assert_eq!(app.service_ports(), vec![80]);
    }

    #[test]
    fn an_exhausted_range_is_an_error_naming_the_port() {
        let mut app = app_with(&[0, 0]);
        let err = assign_service_ports(&mut app, &[10001].into(), (10000, 10001)).unwrap_err();
        assert_eq!(err.path, "/portDefinitions(1)/port");
        assert_eq!(err.errors, vec!["no free service port left in 10000-10001"]);
    }

    #[test]
    fn container_port_mappings_get_service_ports() {
        let mut app: AppDefinition = serde_json::from_value(serde_json::json!({
            "id": "/b", "networks": [{"mode": "container/bridge"}],
            "container": {"type": "DOCKER", "docker": {"image": "nginx"},
                "portMappings": [{"containerPort": 80}, {"containerPort": 443, "servicePort": 10000}]}
        }))
        .unwrap();
        app.normalize();
        assign_service_ports(&mut app, &BTreeSet::new(), (10000, 20000)).unwrap();
        assert_eq!(app.service_ports(), vec![10001, 10000]);
    }
}
