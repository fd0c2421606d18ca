use super::*;
use serde_json::{json, Value};

fn check(v: Value) -> Vec<ErrorDetail> {
    let mut a: AppDefinition = serde_json::from_value(v).unwrap();
    a.normalize();
    app(&a)
}

fn paths(v: Value) -> Vec<(String, Vec<String>)> {
    check(v).into_iter().map(|d| (d.path, d.errors)).collect()
}

fn one(v: Value) -> (String, String) {
    let d = check(v);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].errors.len(), 1, "{d:?}");
    (d[0].path.clone(), d[0].errors[0].clone())
}

fn p(path: &str, err: &str) -> (String, String) {
    (path.to_string(), err.to_string())
}

#[test]
fn a_plain_app_is_valid() {
    assert!(check(json!({"id": "/prod/web-1", "cmd": "sleep 1"})).is_empty());
    assert!(check(json!({"id": "a.b", "args": ["x"]})).is_empty());
    assert!(check(
        json!({"id": "/d", "container": {"type": "DOCKER", "docker": {"image": "nginx"}}})
    )
    .is_empty());
}

#[test]
fn ids() {
    let (path, err) = one(json!({"id": "/Prod/web", "cmd": "x"}));
    assert_eq!(path, "/id");
    assert!(
        err.starts_with("must fully match regular expression '^(([a-z0-9]"),
        "{err}"
    );
    assert_eq!(
        one(json!({"id": "/", "cmd": "x"})),
        p("/", "must not be root")
    );
    assert_eq!(
        one(json!({"id": "/a/tasks", "cmd": "x"})),
        p(
            "/id",
            "must not end with any of the following reserved keywords: restart, tasks, versions"
        )
    );
}

#[test]
fn cmd_args_container() {
    let msg = "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.";
    assert_eq!(one(json!({"id": "/a"})), p("/", msg));
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "args": ["y"]})),
        p("/", msg)
    );
    assert_eq!(
        one(
            json!({"id": "/a", "cmd": "x", "args": ["y"], "container": {"type": "DOCKER", "docker": {"image": "i"}}})
        ),
        p("/", msg)
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": " "})),
        p("/cmd", "must not be an empty string")
    );
    assert_eq!(
        one(json!({"id": "/a", "container": {"type": "DOCKER", "docker": {"image": ""}}})),
        p("/container/docker/image", "must not be empty")
    );
}

#[test]
fn numbers_in_range() {
    assert_eq!(
        paths(json!({"id": "/a", "cmd": "x", "cpus": -1, "mem": -0.5, "disk": -2, "gpus": -1})),
        vec![
            (
                "/cpus".to_string(),
                vec!["got -1.0, expected 0.0 or more".to_string()]
            ),
            (
                "/mem".to_string(),
                vec!["got -0.5, expected 0.0 or more".to_string()]
            ),
            (
                "/disk".to_string(),
                vec!["got -2.0, expected 0.0 or more".to_string()]
            ),
            (
                "/gpus".to_string(),
                vec!["got -1.0, expected 0.0 or more".to_string()]
            ),
        ]
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "backoffFactor": 0.5})),
        p("/backoffFactor", "is less than 1")
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "backoffSeconds": -1})),
        p("/backoffSeconds", "is less than 0")
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "maxLaunchDelaySeconds": -1})),
        p("/maxLaunchDelaySeconds", "is less than 0")
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "upgradeStrategy": {"minimumHealthCapacity": 1.2}})),
        p(
            "/upgradeStrategy/minimumHealthCapacity",
            "is greater than 1"
        )
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "upgradeStrategy": {"maximumOverCapacity": -0.1}})),
        p("/upgradeStrategy/maximumOverCapacity", "is less than 0")
    );
}

#[test]
fn constraints() {
    let c = |v: Value| {
        let d = check(json!({"id": "/a", "cmd": "x", "constraints": [v]}));
        d.first().map(|d| (d.path.clone(), d.errors[0].clone()))
    };
    let e = |m: &str| Some(p("/constraints(0)", m));
    for ok in [
        json!(["hostname", "UNIQUE"]),
        json!(["rack", "CLUSTER", "r1"]),
        json!(["rack", "CLUSTER"]),
        json!(["rack", "GROUP_BY"]),
        json!(["rack", "GROUP_BY", "3"]),
        json!(["hostname", "LIKE", "web-[0-9]+"]),
        json!(["hostname", "UNLIKE", "db.*"]),
        json!(["rack", "MAX_PER", "2"]),
        json!(["cores", "IS", "4"]),
    ] {
        assert_eq!(c(ok.clone()), None, "{ok}");
    }
    assert_eq!(
        c(json!(["hostname", "UNIQUE", "x"])),
        e("Value specified but not used")
    );
    assert_eq!(
        c(json!(["rack", "GROUP_BY", "x"])),
        e("Value was specified but is not a number")
    );
    assert_eq!(
        c(json!(["rack", "MAX_PER", "two"])),
        e("Value was specified but is not a number")
    );
    assert_eq!(c(json!(["rack", "MAX_PER"])), e("Missing value"));
    assert_eq!(
        c(json!(["rack", "LIKE"])),
        e("A regular expression value must be provided")
    );
    assert_eq!(
        c(json!(["rack", "LIKE", "a("])),
        e("'a(' is not a valid regular expression")
    );
    assert_eq!(c(json!(["rack", "IS"])), e("Missing value"));
    assert_eq!(
        c(json!(["rack", "NEAR", "x"])),
        e("illegal constraint operator NEAR")
    );
    assert_eq!(
        c(json!(["rack"])),
        e("illegal constraint specification rack")
    );
    assert_eq!(c(json!([])), e("Missing field and operator"));
}

#[test]
fn health_checks() {
    let msg = "Health check port indices must address an element of the ports array or container port mappings.";
    assert_eq!(
        one(
            json!({"id": "/a", "cmd": "x", "healthChecks": [{"protocol": "HTTP", "portIndex": 1}]})
        ),
        p("/healthChecks(0)", msg)
    );
    assert_eq!(
        one(
            json!({"id": "/a", "cmd": "x", "portDefinitions": [], "healthChecks": [{"protocol": "TCP"}]})
        ),
        p("/healthChecks(0)", msg)
    );
    // An explicit port needs no port index.
    assert!(check(json!({"id": "/a", "cmd": "x", "portDefinitions": [],
        "healthChecks": [{"protocol": "HTTP", "port": 8080}]}))
    .is_empty());
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "healthChecks": [{"protocol": "COMMAND"}]})),
        p("/healthChecks(0)/command", "not defined")
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "healthChecks": [{"protocol": "HTTP", "port": 70000}]})),
        p(
            "/healthChecks(0)/port",
            "got 70000, expected between 0 and 65535"
        )
    );
    assert_eq!(
        one(
            json!({"id": "/a", "cmd": "x", "healthChecks": [{"protocol": "MESOS_HTTP"}, {"protocol": "MESOS_TCP"}]})
        ),
        p(
            "/",
            "AppDefinition can contain at most one Mesos health check"
        )
    );
}

#[test]
fn ports_and_readiness() {
    assert_eq!(
        paths(json!({"id": "/a", "cmd": "x", "portDefinitions": [
            {"port": 80, "name": "http"}, {"port": 80, "name": "http"}, {"port": 0}, {"port": 0}]})),
        vec![(
            "/portDefinitions".to_string(),
            vec![
                "Port names must be unique.".to_string(),
                "Ports must be unique.".to_string()
            ]
        )]
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "portDefinitions": [{"port": 0, "name": "Web"}]})),
        p(
            "/portDefinitions(0)/name",
            "must fully match regular expression '^[a-z0-9-]+$'"
        )
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "readinessChecks": [{"portName": "web"}]})),
        p(
            "/readinessChecks(0)/portName",
            "No port definition reference for portName web"
        )
    );
    assert!(check(
        json!({"id": "/a", "cmd": "x", "portDefinitions": [{"port": 0, "name": "http-api"}],
        "readinessChecks": [{}]})
    )
    .is_empty());
    assert_eq!(
        one(
            json!({"id": "/a", "cmd": "x", "portDefinitions": [{"port": 0, "name": "http-api"}],
            "readinessChecks": [{"timeoutSeconds": 30, "intervalSeconds": 30}]})
        ),
        p(
            "/readinessChecks(0)/timeoutSeconds",
            "got 30, expected less than 30"
        )
    );
}

#[test]
fn single_instance_apps() {
    let d = paths(json!({"id": "/a", "cmd": "x", "instances": 2,
        "labels": {"MARATHON_SINGLE_INSTANCE_APP": "true"}}));
    assert_eq!(
        d,
        vec![
            (
                "/".to_string(),
                vec!["Single instance app may only have one instance".to_string()]
            ),
            (
                "/upgradeStrategy/minimumHealthCapacity".to_string(),
                vec!["got 1.0, expected 0.0".to_string()]
            ),
            (
                "/upgradeStrategy/maximumOverCapacity".to_string(),
                vec!["got 1.0, expected 0.0".to_string()]
            ),
        ]
    );
    assert!(check(
        json!({"id": "/a", "cmd": "x", "labels": {"MARATHON_SINGLE_INSTANCE_APP": "true"},
        "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}})
    )
    .is_empty());
}

#[test]
fn executor_fetch_roles() {
    for ok in ["", "//cmd", "/opt/exec", "bin/exec"] {
        assert!(
            check(json!({"id": "/a", "cmd": "x", "executor": ok})).is_empty(),
            "{ok}"
        );
    }
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "executor": "/test//path"})),
        p(
            "/executor",
            "must fully match regular expression '^(//cmd)|(/?[^/]+(/[^/]+)*)|$'"
        )
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "fetch": [{"uri": "http://x"}, {"uri": ""}]})),
        p("/fetch(1)/uri", "must not be empty")
    );
    assert_eq!(
        one(json!({"id": "/a", "cmd": "x", "acceptedResourceRoles": []})),
        p("/acceptedResourceRoles", "must not be empty")
    );
}

#[test]
fn group_members_and_prefixes() {
    let g = PathId::parse("/prod");
    assert_eq!(group_member(&g, &PathId::parse("/prod/web")), None);
    let d = group_member(&g, &PathId::parse("/dev/web")).unwrap();
    assert_eq!(d.path, "/id");
    assert_eq!(
        d.errors,
        vec!["Identifier is not child of /prod. Hint: use relative paths."]
    );
    assert!(group_member(&g, &PathId::parse("/prod/a/b")).is_some());
    let d = prefixed(
        check(json!({"id": "/", "cmd": "x", "cpus": -1})),
        "/apps(0)",
    );
    assert_eq!(d[0].path, "/apps(0)");
    assert_eq!(d[1].path, "/apps(0)/cpus");
}
