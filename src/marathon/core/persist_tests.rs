use std::collections::BTreeMap;

use super::*;
use crate::marathon::core::state::{Delay, HealthResult};
use crate::marathon::store::StoreConfig;
use crate::wire::marathon::ActionKind;

fn app(id: &str, version: &str, instances: u32) -> AppDefinition {
    let mut a = AppDefinition::new(PathId::parse(id));
    a.cmd = Some("sleep 600".into());
    a.instances = instances;
    a.version = Some(version.into());
    a.normalize();
    a
}

fn instance(task: &str, app: &str) -> Instance {
    Instance {
        task_id: task.into(),
        app_id: PathId::parse(app),
        app_version: "2026-01-01T00:00:00.000Z".into(),
        agent_id: "a1-S0".into(),
        hostname: "h1".into(),
        host_ports: vec![31000],
        state: "TASK_RUNNING".into(),
        staged_at_ms: 1,
        started_at_ms: Some(2),
        mesos_healthy: None,
        health: vec![HealthResult {
            alive: true,
            consecutive_failures: 0,
            first_success_ms: Some(3),
            last_success_ms: Some(4),
            last_failure_ms: None,
            last_failure_cause: None,
        }],
        ip_addresses: vec!["10.0.0.1".into()],
        kill_requested: false,
        unreachable_since_ms: None,
    }
}

#[tokio::test]
async fn a_reopened_store_loads_everything_that_was_saved() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&StoreConfig::Dir(dir.path().to_path_buf()))
        .await
        .unwrap();
    let v1 = "2026-01-01T00:00:00.000Z";
    let v2 = "2026-01-02T10:11:12.345Z";
    save_app(&store, &app("/prod/web", v1, 2)).await.unwrap();
    save_app(&store, &app("/prod/web", v2, 3)).await.unwrap();
    save_app(&store, &app("/db", v1, 1)).await.unwrap();
    let dep = DeploymentRecord {
        id: "5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43".into(),
        version: v2.into(),
        steps: vec![vec![(
            ActionKind::ScaleApplication,
            PathId::parse("/prod/web"),
        )]],
        current_step: 1,
        original: BTreeMap::from([(PathId::parse("/prod/web"), Some(app("/prod/web", v1, 2)))]),
        target: BTreeMap::from([(PathId::parse("/prod/web"), Some(app("/prod/web", v2, 3)))]),
    };
    save_deployment(&store, &dep).await.unwrap();
    let i = instance("prod_web.8cad6a69-6ca8-11e7-beb2-0e2beceebfcc", "/prod/web");
    save_instance(&store, &i).await.unwrap();
    save_instance(&store, &instance("db.1", "/db"))
        .await
        .unwrap();
    save_framework_id(&store, "fw-0001").await.unwrap();
    let g = GroupRecord {
        dependencies: vec![PathId::parse("/db")],
        version: v2.into(),
    };
    save_group(&store, &PathId::parse("/prod"), &g)
        .await
        .unwrap();
    save_group(&store, &PathId::root(), &GroupRecord::default())
        .await
        .unwrap();

    // A new process: open the same directory again.
    let again = Store::open(&StoreConfig::Dir(dir.path().to_path_buf()))
        .await
        .unwrap();
    let s = load(&again).await.unwrap();
    assert_eq!(s.framework_id.as_deref(), Some("fw-0001"));
    assert_eq!(s.apps.len(), 2);
    assert_eq!(s.apps[&PathId::parse("/prod/web")], app("/prod/web", v2, 3));
    assert_eq!(
        s.versions[&PathId::parse("/prod/web")],
        vec![v1.to_string(), v2.to_string()]
    );
    let old = load_version(&again, &PathId::parse("/prod/web"), v1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old.instances, 2);
    assert!(load_version(&again, &PathId::parse("/prod/web"), "nope")
        .await
        .unwrap()
        .is_none());
    assert_eq!(s.deployments, vec![dep.clone()]);
    assert_eq!(s.instances[&i.task_id], i);
    assert_eq!(s.instances.len(), 2);
    assert_eq!(s.groups[&PathId::parse("/prod")], g);
    assert!(s.groups.contains_key(&PathId::root()));
    assert_eq!(s.delays.get(&PathId::parse("/db")), None::<&Delay>);

    // Deletions stick too.
    delete_app(&again, &PathId::parse("/db")).await.unwrap();
    delete_instance(&again, "db.1").await.unwrap();
    delete_deployment(&again, &dep.id).await.unwrap();
    delete_version(&again, &PathId::parse("/prod/web"), v1)
        .await
        .unwrap();
    delete_group(&again, &PathId::parse("/prod")).await.unwrap();
    let s = load(&again).await.unwrap();
    assert_eq!(s.apps.len(), 1);
    assert_eq!(s.instances.len(), 1);
    assert!(s.deployments.is_empty());
    assert_eq!(
        s.versions[&PathId::parse("/prod/web")],
        vec![v2.to_string()]
    );
    assert!(!s.groups.contains_key(&PathId::parse("/prod")));
}

#[tokio::test]
async fn a_corrupt_value_is_an_error_naming_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&StoreConfig::Dir(dir.path().to_path_buf()))
        .await
        .unwrap();
    store.put("apps/x/current", b"{not json").await.unwrap();
    let e = load(&store).await.unwrap_err().to_string();
    assert!(e.contains("apps/x/current"), "{e}");
}

#[test]
fn versions_beyond_the_limit_are_the_oldest() {
    let v: Vec<String> = (1..=5).map(|i| format!("v{i}")).collect();
    assert_eq!(versions_beyond(&v, 3), vec!["v1", "v2"]);
    assert!(versions_beyond(&v, 50).is_empty());
}
