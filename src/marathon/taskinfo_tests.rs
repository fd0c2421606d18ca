use super::*;
use crate::marathon::placement::match_offer;
use crate::wire::event::Offer;
use serde_json::{json, Value};

fn offer() -> Offer {
    serde_json::from_value(json!({
        "id": {"value": "o1"}, "framework_id": {"value": "fw"},
        "agent_id": {"value": "S1"}, "hostname": "agent1.example",
        "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 8}, "role": "*"},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 8192}, "role": "*"},
            {"name": "disk", "type": "SCALAR", "scalar": {"value": 8192}, "role": "*"},
            {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": 31100}]}, "role": "*"}
        ]
    }))
    .unwrap()
}

fn launch(app: Value, prefix: Option<&str>) -> Value {
    let mut app: AppDefinition = serde_json::from_value(app).unwrap();
    app.normalize();
    let roles = vec!["*".to_string()];
    let ctx = LaunchCtx {
        roles: &roles,
        default_user: Some("marathon"),
        env_vars_prefix: prefix,
        default_accepted_roles: None,
    };
    let (l, why) = match_offer(&app, &offer(), &[], 1, 1, &ctx);
    assert_eq!(why, None);
    serde_json::to_value(&l[0].task_info).unwrap()
}

fn env(ti: &Value) -> Vec<(String, String)> {
    ti["command"]["environment"]["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_string(),
                v["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn var(ti: &Value, k: &str) -> Option<String> {
    env(ti).into_iter().find(|(n, _)| n == k).map(|(_, v)| v)
}

#[test]
fn a_command_app_task() {
    let ti = launch(
        json!({"id": "/tools/web", "cmd": "python3 -m http.server $PORT0", "cpus": 0.5, "mem": 64,
            "disk": 10, "version": "2017-07-19T17:34:41.967Z",
            "labels": {"owner": "ops"}, "taskKillGracePeriodSeconds": 5,
            "fetch": [{"uri": "https://x/a.tgz"}, {"uri": "https://x/run.sh", "executable": true,
                "extract": false, "cache": true, "destPath": "bin/run"}],
            "portDefinitions": [{"port": 10000, "name": "http", "protocol": "tcp", "labels": {"VIP_0": "/web:80"}}]}),
        None,
    );
    assert_eq!(ti["name"], "web.tools");
    assert!(ti["task_id"]["value"]
        .as_str()
        .unwrap()
        .starts_with("tools_web."));
    assert_eq!(ti["agent_id"]["value"], "S1");
    let cmd = &ti["command"];
    assert_eq!(cmd["value"], "python3 -m http.server $PORT0");
    assert!(
        cmd.get("shell").is_none(),
        "cmd runs through the default shell"
    );
    assert_eq!(cmd["user"], "marathon");
    assert_eq!(
        cmd["uris"],
        json!([
            {"value": "https://x/a.tgz", "executable": false, "extract": true, "cache": false},
            {"value": "https://x/run.sh", "executable": true, "extract": false, "cache": true, "output_file": "bin/run"}
        ])
    );
    assert_eq!(
        ti["kill_policy"],
        json!({"grace_period": {"nanoseconds": 5_000_000_000i64}})
    );
    assert_eq!(
        ti["labels"],
        json!({"labels": [{"key": "owner", "value": "ops"}]})
    );
    assert_eq!(
        ti["discovery"],
        json!({"visibility": "FRAMEWORK", "name": "web.tools", "ports": {"ports": [
            {"number": 31000, "name": "http", "protocol": "tcp",
             "labels": {"labels": [{"key": "VIP_0", "value": "/web:80"}]}}]}})
    );
    assert_eq!(var(&ti, "PORT0").as_deref(), Some("31000"));
    assert_eq!(var(&ti, "PORT_10000").as_deref(), Some("31000"));
    assert_eq!(var(&ti, "PORT_HTTP").as_deref(), Some("31000"));
    assert_eq!(var(&ti, "HOST").as_deref(), Some("agent1.example"));
    assert_eq!(
        var(&ti, "MESOS_TASK_ID"),
        ti["task_id"]["value"].as_str().map(str::to_string)
    );
    assert_eq!(
        var(&ti, "MARATHON_APP_RESOURCE_MEM").as_deref(),
        Some("64.0")
    );
    assert!(ti.get("container").is_none());
    assert!(ti.get("health_check").is_none());
    let names: Vec<&str> = ti["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["cpus", "mem", "disk", "ports"]);
}

#[test]
fn args_are_an_argv_and_the_app_user_wins() {
    let ti = launch(
        json!({"id": "/a", "args": ["/bin/sleep", "100"], "user": "alice"}),
        Some("X_"),
    );
    let cmd = &ti["command"];
    assert_eq!(cmd["shell"], false);
    assert_eq!(cmd["value"], "/bin/sleep");
    assert_eq!(cmd["arguments"], json!(["/bin/sleep", "100"]));
    assert_eq!(cmd["user"], "alice");
    assert_eq!(var(&ti, "X_PORT0").as_deref(), Some("31000"));
    assert_eq!(var(&ti, "X_HOST").as_deref(), Some("agent1.example"));
    assert!(ti.get("kill_policy").is_none());
    assert!(ti.get("labels").is_none());
}

#[test]
fn mesos_side_health_checks_go_in_the_task() {
    let ti = launch(
        json!({"id": "/a", "cmd": "x", "portDefinitions": [{"port": 0}, {"port": 0}],
            "healthChecks": [{"protocol": "HTTP", "portIndex": 0},
                             {"protocol": "MESOS_HTTP", "portIndex": 1, "path": "/health",
                              "gracePeriodSeconds": 30, "intervalSeconds": 5, "timeoutSeconds": 2,
                              "maxConsecutiveFailures": 4, "delaySeconds": 1}]}),
        None,
    );
    assert_eq!(
        ti["health_check"],
        json!({"type": "HTTP", "http": {"scheme": "http", "port": 31001, "path": "/health"},
            "delay_seconds": 1.0, "interval_seconds": 5.0, "timeout_seconds": 2.0,
            "consecutive_failures": 4, "grace_period_seconds": 30.0})
    );
    let ti = launch(
        json!({"id": "/a", "cmd": "x",
            "healthChecks": [{"protocol": "COMMAND", "command": {"value": "curl -f localhost:$PORT0"}}]}),
        None,
    );
    let hc = &ti["health_check"];
    assert_eq!(hc["type"], "COMMAND");
    assert_eq!(hc["command"]["value"], "curl -f localhost:$PORT0");
    assert_eq!(hc["command"]["shell"], true);
    assert_eq!(hc["consecutive_failures"], 3);
    assert_eq!(hc["grace_period_seconds"], 300.0);
    assert!(hc["command"]["environment"]["variables"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["name"] == "PORT0"));
    let ti = launch(
        json!({"id": "/a", "cmd": "x", "healthChecks": [{"protocol": "MESOS_TCP"}]}),
        None,
    );
    assert_eq!(ti["health_check"]["tcp"], json!({"port": 31000}));
    // Marathon-side checks are not Mesos'.
    let ti = launch(
        json!({"id": "/a", "cmd": "x", "healthChecks": [{"protocol": "TCP"}]}),
        None,
    );
    assert!(ti.get("health_check").is_none());
}

#[test]
fn a_docker_bridge_app_gets_a_docker_container_with_port_mappings() {
    let ti = launch(
        json!({"id": "/web/nginx", "networks": [{"mode": "container/bridge"}],
            "container": {"type": "DOCKER", "docker": {"image": "nginx:1.25", "privileged": false,
                "parameters": [{"key": "label", "value": "a=b"}], "forcePullImage": true},
                "volumes": [{"containerPath": "/data", "hostPath": "/srv/data", "mode": "RO"}],
                "portMappings": [{"containerPort": 80, "hostPort": 0, "name": "http"},
                                 {"containerPort": 53, "protocol": "udp,tcp"},
                                 {"containerPort": 9000, "hostPort": 31050}]}}),
        None,
    );
    assert_eq!(
        ti["container"],
        json!({"type": "DOCKER", "docker": {"image": "nginx:1.25", "network": "BRIDGE",
            "port_mappings": [
                {"host_port": 31000, "container_port": 80, "protocol": "tcp"},
                {"host_port": 31001, "container_port": 53, "protocol": "udp"},
                {"host_port": 31001, "container_port": 53, "protocol": "tcp"},
                {"host_port": 31050, "container_port": 9000, "protocol": "tcp"}],
            "privileged": false, "parameters": [{"key": "label", "value": "a=b"}], "force_pull_image": true},
            "volumes": [{"container_path": "/data", "host_path": "/srv/data", "mode": "RO"}]})
    );
    // No cmd: the image's entrypoint runs.
    assert_eq!(ti["command"]["shell"], false);
    assert!(ti["command"].get("value").is_none());
    assert_eq!(var(&ti, "PORTS").as_deref(), Some("31000,31001,31050"));
    assert_eq!(
        var(&ti, "MARATHON_APP_DOCKER_IMAGE").as_deref(),
        Some("nginx:1.25")
    );
    let protos: Vec<&str> = ti["discovery"]["ports"]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["protocol"].as_str().unwrap())
        .collect();
    assert_eq!(protos, ["tcp", "udp", "tcp", "tcp"]);
}

#[test]
fn a_user_network_port_without_host_port_uses_the_container_port() {
    let ti = launch(
        json!({"id": "/a", "cmd": "x", "networks": [{"mode": "container", "name": "dcos"}],
            "container": {"type": "MESOS", "docker": {"image": "busybox"},
                "portMappings": [{"containerPort": 8080}]}}),
        None,
    );
    assert_eq!(var(&ti, "PORT0").as_deref(), Some("8080"));
    assert_eq!(
        ti["container"],
        json!({"type": "MESOS", "mesos": {"image": {"type": "DOCKER", "docker": {"name": "busybox"}, "cached": true}},
            "network_infos": [{"name": "dcos"}]})
    );
    assert!(ti["resources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["name"] != "ports"));
}
