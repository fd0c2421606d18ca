use super::*;
use crate::wire::marathon::{Constraint, PortDefinition};
use crate::wire::resources::AllocationInfo;
use serde_json::{json, Value};

fn scalar(name: &str, v: f64, role: &str) -> Value {
    let mut r = json!({"name": name, "type": "SCALAR", "scalar": {"value": v},
        "role": role, "allocation_info": {"role": "dev"}});
    if role != "*" {
        r["reservations"] = json!([{"type": "STATIC", "role": role}]);
    }
    r
}

fn ports(b: u64, e: u64, role: &str) -> Value {
    let mut r = json!({"name": "ports", "type": "RANGES",
        "ranges": {"range": [{"begin": b, "end": e}]}, "role": role,
        "allocation_info": {"role": "dev"}});
    if role != "*" {
        r["reservations"] = json!([{"type": "STATIC", "role": role}]);
    }
    r
}

fn offer(host: &str, resources: Vec<Value>, attributes: Value) -> Offer {
    serde_json::from_value(json!({
        "id": {"value": "o1"}, "framework_id": {"value": "fw"},
        "agent_id": {"value": format!("agent-{host}")}, "hostname": host,
        "resources": resources, "attributes": attributes,
        "allocation_info": {"role": "dev"}
    }))
    .unwrap()
}

fn big_offer(host: &str) -> Offer {
    offer(
        host,
        vec![
            scalar("cpus", 4.0, "*"),
            scalar("mem", 4096.0, "*"),
            scalar("disk", 1000.0, "*"),
            ports(31000, 31009, "*"),
        ],
        json!([]),
    )
}

fn app(cpus: f64, mem: f64) -> AppDefinition {
    let mut a: AppDefinition = serde_json::from_value(json!({
        "id": "/prod/web", "cmd": "sleep 100", "cpus": cpus, "mem": mem
    }))
    .unwrap();
    a.normalize();
    a
}

const ROLES: &[String] = &[];

fn ctx<'a>(roles: &'a [String]) -> LaunchCtx<'a> {
    LaunchCtx {
        roles,
        default_user: Some("nobody"),
        env_vars_prefix: None,
        default_accepted_roles: None,
    }
}

fn scalar_of(l: &Launch, name: &str) -> f64 {
    l.task_info
        .resources
        .iter()
        .filter(|r| r.name == name)
        .map(|r| r.scalar.as_ref().unwrap().value)
        .sum()
}

#[test]
fn several_instances_per_offer_consume_it_progressively() {
    let roles = vec!["dev".to_string()];
    let (launches, why) = match_offer(
        &app(1.5, 100.0),
        &big_offer("h1"),
        &[],
        10,
        10,
        &ctx(&roles),
    );
    assert_eq!(launches.len(), 2, "4 cpus hold two 1.5-cpu instances");
    assert_eq!(why, Some(Reject::InsufficientCpus));
    assert_eq!(launches[0].host_ports, vec![31000]);
    assert_eq!(launches[1].host_ports, vec![31001]);
    for l in &launches {
        assert_eq!(scalar_of(l, "cpus"), 1.5);
        assert_eq!(scalar_of(l, "mem"), 100.0);
        assert_eq!(l.hostname, "h1");
        assert_eq!(l.agent_id, "agent-h1");
        assert_eq!(l.task_info.agent_id.as_ref().unwrap().value, "agent-h1");
        // Disk 0 takes no disk resource.
        assert!(l.task_info.resources.iter().all(|r| r.name != "disk"));
    }
    assert_ne!(launches[0].task_id, launches[1].task_id);
}

#[test]
fn wanted_and_max_per_offer_bound_the_launches() {
    let (l, why) = match_offer(&app(0.1, 10.0), &big_offer("h"), &[], 3, 10, &ctx(ROLES));
    assert_eq!((l.len(), why), (3, None));
    let (l, why) = match_offer(&app(0.1, 10.0), &big_offer("h"), &[], 10, 2, &ctx(ROLES));
    assert_eq!((l.len(), why), (2, None));
    let (l, why) = match_offer(&app(0.1, 10.0), &big_offer("h"), &[], 0, 2, &ctx(ROLES));
    assert_eq!((l.len(), why), (0, None));
}

#[test]
fn each_shortage_is_named() {
    let c = ctx(ROLES);
    let o = big_offer("h");
    assert_eq!(
        match_offer(&app(8.0, 1.0), &o, &[], 1, 1, &c).1,
        Some(Reject::InsufficientCpus)
    );
    assert_eq!(
        match_offer(&app(1.0, 9000.0), &o, &[], 1, 1, &c).1,
        Some(Reject::InsufficientMemory)
    );
    let mut a = app(1.0, 1.0);
    a.disk = 2000.0;
    assert_eq!(
        match_offer(&a, &o, &[], 1, 1, &c).1,
        Some(Reject::InsufficientDisk)
    );
    let mut a = app(1.0, 1.0);
    a.gpus = 1.0;
    assert_eq!(
        match_offer(&a, &o, &[], 1, 1, &c).1,
        Some(Reject::InsufficientGpus)
    );
    let mut a = app(0.01, 1.0);
    a.port_definitions = Some((0..11).map(|_| PortDefinition::port(0)).collect());
    assert_eq!(
        match_offer(&a, &o, &[], 1, 1, &c).1,
        Some(Reject::InsufficientPorts)
    );
    // Ten ports: one instance fits, the second does not.
    a.port_definitions = Some((0..6).map(|_| PortDefinition::port(0)).collect());
    let (l, why) = match_offer(&a, &o, &[], 5, 5, &c);
    assert_eq!((l.len(), why), (1, Some(Reject::InsufficientPorts)));
    assert_eq!(l[0].host_ports, (31000..31006).collect::<Vec<_>>());
    assert_eq!(
        Reject::UnfulfilledConstraint.to_string(),
        "UnfulfilledConstraint"
    );
    assert_eq!(Reject::InsufficientMemory.to_string(), "InsufficientMemory");
}

#[test]
fn ports_of_one_instance_are_one_merged_ranges_resource_with_the_offered_role() {
    let mut a = app(0.1, 10.0);
    a.port_definitions = Some(vec![PortDefinition::port(0), PortDefinition::port(0)]);
    let (l, _) = match_offer(&a, &big_offer("h"), &[], 1, 1, &ctx(ROLES));
    let ports: Vec<&Resource> = l[0]
        .task_info
        .resources
        .iter()
        .filter(|r| r.name == "ports")
        .collect();
    assert_eq!(ports.len(), 1);
    let v = serde_json::to_value(ports[0]).unwrap();
    assert_eq!(
        v,
        json!({"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": 31001}]},
            "role": "*", "allocation_info": {"role": "dev"}})
    );
}

#[test]
fn require_ports_takes_exactly_the_service_ports() {
    let mut a = app(0.1, 10.0);
    a.require_ports = true;
    a.port_definitions = Some(vec![PortDefinition::port(31007), PortDefinition::port(0)]);
    let (l, why) = match_offer(&a, &big_offer("h"), &[], 1, 1, &ctx(ROLES));
    assert_eq!(why, None);
    assert_eq!(l[0].host_ports, vec![31007, 31000]);
    // The second instance cannot have 31007 again.
    let (l, why) = match_offer(&a, &big_offer("h"), &[], 2, 2, &ctx(ROLES));
    assert_eq!((l.len(), why), (1, Some(Reject::InsufficientPorts)));
    a.port_definitions = Some(vec![PortDefinition::port(80)]);
    let (l, why) = match_offer(&a, &big_offer("h"), &[], 1, 1, &ctx(ROLES));
    assert_eq!((l.len(), why), (0, Some(Reject::InsufficientPorts)));
    // Without requirePorts a service port is not a host port.
    a.require_ports = false;
    let (l, _) = match_offer(&a, &big_offer("h"), &[], 1, 1, &ctx(ROLES));
    assert_eq!(l[0].host_ports, vec![31000]);
}

#[test]
fn accepted_roles_filter_resources_and_reserved_go_first() {
    let o = offer(
        "h",
        vec![
            scalar("cpus", 1.0, "*"),
            scalar("cpus", 0.5, "prod"),
            scalar("mem", 1000.0, "*"),
            ports(31000, 31000, "*"),
        ],
        json!([]),
    );
    let roles = vec!["prod".to_string()];
    // Default: the framework's roles and `*`; reserved first.
    let (l, _) = match_offer(&app(1.0, 10.0), &o, &[], 1, 1, &ctx(&roles));
    let cpus: Vec<(String, f64)> = l[0]
        .task_info
        .resources
        .iter()
        .filter(|r| r.name == "cpus")
        .map(|r| (r.reservation_role(), r.scalar.as_ref().unwrap().value))
        .collect();
    assert_eq!(cpus, vec![("prod".into(), 0.5), ("*".into(), 0.5)]);
    // Reservations and allocation info are kept as offered.
    let prod = l[0]
        .task_info
        .resources
        .iter()
        .find(|r| r.reservation_role() == "prod")
        .unwrap();
    assert_eq!(prod.allocation_info, Some(AllocationInfo::new("dev")));
    assert_eq!(prod.reservations.len(), 1);
    // Only `*`: 1.5 cpus offered but only 1.0 unreserved.
    let mut a = app(1.2, 10.0);
    a.accepted_resource_roles = Some(vec!["*".into()]);
    assert_eq!(
        match_offer(&a, &o, &[], 1, 1, &ctx(&roles)).1,
        Some(Reject::UnfulfilledRole)
    );
    // A role the offer lacks entirely.
    let mut a = app(0.1, 10.0);
    a.accepted_resource_roles = Some(vec!["slave_public".into()]);
    assert_eq!(
        match_offer(&a, &o, &[], 1, 1, &ctx(&roles)).1,
        Some(Reject::UnfulfilledRole)
    );
    // --default_accepted_resource_roles applies when the app sets none.
    let star = vec!["*".to_string()];
    let c = LaunchCtx {
        default_accepted_roles: Some(&star),
        ..ctx(&roles)
    };
    assert_eq!(
        match_offer(&app(1.2, 10.0), &o, &[], 1, 1, &c).1,
        Some(Reject::UnfulfilledRole)
    );
    assert_eq!(
        accepted_roles(&app(1.0, 1.0), &ctx(&roles)),
        vec!["prod", "*"]
    );
}

#[test]
fn revocable_and_persistent_resources_are_not_used() {
    let mut rev = scalar("cpus", 4.0, "*");
    rev["revocable"] = json!({});
    let mut vol = scalar("disk", 100.0, "prod");
    vol["disk"] =
        json!({"persistence": {"id": "v1"}, "volume": {"container_path": "data", "mode": "RW"}});
    let o = offer("h", vec![rev, scalar("mem", 100.0, "*"), vol], json!([]));
    assert_eq!(
        match_offer(&app(1.0, 10.0), &o, &[], 1, 1, &ctx(ROLES)).1,
        Some(Reject::InsufficientCpus)
    );
}

#[test]
fn constraints_see_the_instances_placed_from_the_same_offer() {
    let mut a = app(0.1, 10.0);
    a.constraints = vec![Constraint(vec!["hostname".into(), "UNIQUE".into()])];
    let (l, why) = match_offer(&a, &big_offer("h1"), &[], 3, 3, &ctx(ROLES));
    assert_eq!((l.len(), why), (1, Some(Reject::UnfulfilledConstraint)));
    let placed = [Placed {
        agent_id: "agent-h1".into(),
        hostname: "h1".into(),
        attributes: vec![],
    }];
    let (l, why) = match_offer(&a, &big_offer("h1"), &placed, 3, 3, &ctx(ROLES));
    assert_eq!((l.len(), why), (0, Some(Reject::UnfulfilledConstraint)));
    // Attributes of the offer feed the constraints.
    a.constraints = vec![Constraint(vec![
        "rack".into(),
        "LIKE".into(),
        "r[0-9]".into(),
    ])];
    let mut o = big_offer("h2");
    o.attributes =
        serde_json::from_value(json!([{"name": "rack", "type": "TEXT", "text": {"value": "r1"}}]))
            .unwrap();
    assert_eq!(match_offer(&a, &o, &[], 2, 2, &ctx(ROLES)).0.len(), 2);
    assert_eq!(
        match_offer(&a, &big_offer("h3"), &[], 2, 2, &ctx(ROLES)).1,
        Some(Reject::UnfulfilledConstraint)
    );
}

#[test]
fn task_ids_are_the_safe_id_and_a_uuid() {
    let (l, _) = match_offer(&app(0.1, 10.0), &big_offer("h"), &[], 1, 1, &ctx(ROLES));
    let id = &l[0].task_id;
    let (prefix, uuid) = id.split_once('.').unwrap();
    assert_eq!(prefix, "prod_web");
    assert!(uuid::Uuid::parse_str(uuid).is_ok(), "{id}");
    assert_eq!(l[0].task_info.task_id.value, *id);
}
