//! What to launch: TaskInfo templates built from the command line, or read
//! from `--task` / `--task-group` JSON (upstream `mesos-execute` syntax: a
//! JSON string, a path, or a `file://` URL; `agent_id` may be omitted).
//! `agent_id` and `resources` are filled in from the offer at launch time.

use std::time::Duration;

use serde_json::{json, Value as Json};

use crate::error::{Error, Result};
use crate::resources::Resources;

/// Resources of the DEFAULT executor that runs a task group (as upstream).
pub const DEFAULT_EXECUTOR_RESOURCES: &str = "cpus:0.1;mem:32;disk:32";
/// Executor id of the DEFAULT executor.
pub const DEFAULT_EXECUTOR_ID: &str = "default-executor";

/// One task to launch.
#[derive(Clone, Debug)]
pub struct TaskPlan {
    /// TaskInfo without `agent_id`; `resources` are replaced at launch.
    pub info: Json,
    /// What to carve from an offer.
    pub need: Resources,
    /// The agent the TaskInfo asked for (`--task` with `agent_id`).
    pub agent_id: Option<String>,
}

impl TaskPlan {
    pub fn id(&self) -> &str {
        self.info
            .pointer("/task_id/value")
            .and_then(Json::as_str)
            .unwrap_or("")
    }
    pub fn name(&self) -> &str {
        self.info.get("name").and_then(Json::as_str).unwrap_or("")
    }
}

/// A task group, run by a DEFAULT executor.
#[derive(Clone, Debug)]
pub struct GroupPlan {
    /// ExecutorInfo without `framework_id` and `resources`.
    pub executor: Json,
    pub executor_need: Resources,
    pub tasks: Vec<TaskPlan>,
}

/// Everything to launch.
#[derive(Clone, Debug)]
pub enum Plan {
    /// Independent tasks (command executor each), packed into offers.
    Tasks(Vec<TaskPlan>),
    /// One group, all on one agent.
    Group(GroupPlan),
}

impl Plan {
    /// Every task, in order.
    pub fn tasks(&self) -> Vec<&TaskPlan> {
        match self {
            Plan::Tasks(t) => t.iter().collect(),
            Plan::Group(g) => g.tasks.iter().collect(),
        }
    }
}

/// Which container `--docker-image` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Containerizer {
    /// ContainerInfo type DOCKER (the agent needs `--containerizers=docker,...`)
    Docker,
    /// ContainerInfo type MESOS with a Docker image (the agent needs `--image_providers=docker`)
    Mesos,
}

/// The command part of the plan.
#[derive(Clone, Debug)]
pub enum CommandSpec {
    /// `--command`: run by `sh -c`.
    Shell(String),
    /// `-- ARGV...`: executed directly (`shell: false`).
    Argv(Vec<String>),
}

/// Command-line task description.
#[derive(Clone, Debug)]
pub struct CommandTask {
    pub name: String,
    pub instances: u32,
    pub command: CommandSpec,
    pub need: Resources,
    pub env: Vec<(String, String)>,
    pub uris: Vec<String>,
    pub extract: bool,
    pub docker_image: Option<(String, Containerizer)>,
    pub grace: Option<Duration>,
    pub user: Option<String>,
}

/// Nanoseconds JSON (`DurationInfo`).
pub fn duration_info(d: Duration) -> Json {
    json!({ "nanoseconds": d.as_nanos().min(i64::MAX as u128) as i64 })
}

/// Task ids: the name for one instance, `NAME-1`..`NAME-N` for several.
pub fn task_ids(name: &str, instances: u32) -> Vec<String> {
    if instances <= 1 {
        vec![name.to_string()]
    } else {
        (1..=instances).map(|i| format!("{name}-{i}")).collect()
    }
}

/// Build the plan for `--command` / `-- ARGV`.
pub fn command_plan(t: &CommandTask) -> Plan {
    let mut command = match &t.command {
        CommandSpec::Shell(c) => json!({"shell": true, "value": c}),
        CommandSpec::Argv(a) => json!({"shell": false, "value": a[0], "arguments": a}),
    };
    if !t.env.is_empty() {
        let vars: Vec<Json> = t
            .env
            .iter()
            .map(|(k, v)| json!({"name": k, "value": v}))
            .collect();
        command["environment"] = json!({ "variables": vars });
    }
    if !t.uris.is_empty() {
        let uris: Vec<Json> = t
            .uris
            .iter()
            .map(|u| json!({"value": u, "extract": t.extract, "executable": false, "cache": false}))
            .collect();
        command["uris"] = Json::Array(uris);
    }
    if let Some(u) = &t.user {
        command["user"] = json!(u);
    }
    let tasks = task_ids(&t.name, t.instances)
        .into_iter()
        .map(|id| {
            let mut info = json!({
                "name": t.name,
                "task_id": {"value": id},
                "command": command,
            });
            if let Some((image, kind)) = &t.docker_image {
                info["container"] = container_info(image, *kind);
            }
            if let Some(g) = t.grace {
                info["kill_policy"] = json!({ "grace_period": duration_info(g) });
            }
            TaskPlan {
                info,
                need: t.need.clone(),
                agent_id: None,
            }
        })
        .collect();
    Plan::Tasks(tasks)
}

/// ContainerInfo for `--docker-image` (as upstream `mesos-execute`).
pub fn container_info(image: &str, kind: Containerizer) -> Json {
    match kind {
        Containerizer::Docker => json!({
            "type": "DOCKER",
            "docker": {"image": image, "network": "HOST"}
        }),
        Containerizer::Mesos => json!({
            "type": "MESOS",
            "mesos": {"image": {"type": "DOCKER", "docker": {"name": image}}}
        }),
    }
}

/// `--env` values: `K=V`, or (upstream syntax) a JSON object `{"K":"V"}`.
pub fn parse_env(values: &[String]) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut put = |k: String, v: String| {
        out.retain(|(x, _)| *x != k);
        out.push((k, v));
    };
    for raw in values {
        let t = raw.trim();
        if t.starts_with('{') {
            let v: Json = serde_json::from_str(t)
                .map_err(|e| Error::usage(format!("--env '{raw}' is not a JSON object: {e}")))?;
            for (k, v) in v.as_object().into_iter().flatten() {
                let v = match v {
                    Json::String(s) => s.clone(),
                    other => other.to_string(),
                };
                put(k.clone(), v);
            }
            continue;
        }
        let (k, v) = raw
            .split_once('=')
            .ok_or_else(|| Error::usage(format!("--env '{raw}' is not NAME=VALUE")))?;
        if k.is_empty() {
            return Err(Error::usage(format!("--env '{raw}' has an empty name")));
        }
        put(k.to_string(), v.to_string());
    }
    Ok(out)
}

/// Read a JSON argument: inline JSON, a path, or `file:///path`.
pub fn read_json_arg(flag: &str, arg: &str) -> Result<Json> {
    let t = arg.trim();
    let (text, from) = if t.starts_with('{') || t.starts_with('[') {
        (t.to_string(), "the value".to_string())
    } else {
        let path = t.strip_prefix("file://").unwrap_or(t);
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::usage(format!("{flag}: cannot read {path}: {e}")))?;
        (text, path.to_string())
    };
    serde_json::from_str(&text)
        .map_err(|e| Error::usage(format!("{flag}: {from} is not valid JSON: {e}")))
}

/// A TaskInfo from `--task` (or one task of a group).
pub fn task_from_json(flag: &str, v: &Json, default_need: &Resources) -> Result<TaskPlan> {
    let obj = v
        .as_object()
        .ok_or_else(|| Error::usage(format!("{flag}: a TaskInfo must be a JSON object")))?;
    let mut info = Json::Object(obj.clone());
    let name = info
        .get("name")
        .and_then(Json::as_str)
        .ok_or_else(|| Error::usage(format!("{flag}: the TaskInfo has no \"name\"")))?
        .to_string();
    match info.pointer("/task_id/value") {
        Some(Json::String(s)) if !s.is_empty() => {}
        Some(_) => {
            return Err(Error::usage(format!(
                "{flag}: \"task_id\" must be {{\"value\": \"...\"}}"
            )))
        }
        None => info["task_id"] = json!({ "value": name }),
    }
    let agent_id = info
        .pointer("/agent_id/value")
        .and_then(Json::as_str)
        .map(str::to_string);
    if let Some(o) = info.as_object_mut() {
        o.remove("agent_id");
        o.remove("slave_id");
    }
    let need = match info.get("resources") {
        Some(r) if !r.is_null() => Resources::from_v1_json(r)
            .map_err(|e| Error::usage(format!("{flag}: task '{name}': {e}")))?,
        _ => default_need.clone(),
    };
    if need.is_empty() {
        return Err(Error::usage(format!(
            "{flag}: task '{name}' uses no resources"
        )));
    }
    Ok(TaskPlan {
        info,
        need,
        agent_id,
    })
}

/// A TaskGroupInfo from `--task-group`, with the DEFAULT executor.
pub fn group_from_json(v: &Json, default_need: &Resources) -> Result<GroupPlan> {
    let flag = "--task-group";
    let tasks = v
        .get("tasks")
        .and_then(Json::as_array)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::usage(format!(
                "{flag}: expected a TaskGroupInfo {{\"tasks\": [TaskInfo, ...]}}"
            ))
        })?;
    let mut plans = Vec::new();
    for t in tasks {
        let p = task_from_json(flag, t, default_need)?;
        if plans.iter().any(|q: &TaskPlan| q.id() == p.id()) {
            return Err(Error::usage(format!(
                "{flag}: duplicate task id '{}'",
                p.id()
            )));
        }
        plans.push(p);
    }
    let pinned: Vec<&str> = plans.iter().filter_map(|p| p.agent_id.as_deref()).collect();
    if pinned.windows(2).any(|w| w[0] != w[1]) {
        return Err(Error::usage(format!(
            "{flag}: the tasks name different agent_ids"
        )));
    }
    Ok(GroupPlan {
        executor: json!({
            "type": "DEFAULT",
            "executor_id": {"value": DEFAULT_EXECUTOR_ID},
        }),
        executor_need: Resources::parse(DEFAULT_EXECUTOR_RESOURCES, "*").expect("static resources"),
        tasks: plans,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need() -> Resources {
        Resources::parse("cpus:0.1;mem:32", "*").unwrap()
    }

    #[test]
    fn command_tasks_get_ids_env_uris_and_container() {
        let t = CommandTask {
            name: "web".into(),
            instances: 3,
            command: CommandSpec::Shell("echo $X".into()),
            need: need(),
            env: vec![("X".into(), "1".into())],
            uris: vec!["http://x/a.tgz".into()],
            extract: true,
            docker_image: Some(("alpine".into(), Containerizer::Docker)),
            grace: Some(Duration::from_secs(2)),
            user: None,
        };
        let Plan::Tasks(ts) = command_plan(&t) else {
            panic!()
        };
        assert_eq!(
            ts.iter().map(|t| t.id()).collect::<Vec<_>>(),
            ["web-1", "web-2", "web-3"]
        );
        let i = &ts[0].info;
        assert_eq!(
            i["command"]["environment"]["variables"][0],
            json!({"name": "X", "value": "1"})
        );
        assert_eq!(i["command"]["uris"][0]["extract"], true);
        assert_eq!(i["container"]["docker"]["image"], "alpine");
        assert_eq!(
            i["kill_policy"]["grace_period"]["nanoseconds"],
            2_000_000_000i64
        );
        let argv = CommandTask {
            instances: 1,
            command: CommandSpec::Argv(vec!["ls".into(), "-l".into()]),
            docker_image: None,
            ..t
        };
        let Plan::Tasks(ts) = command_plan(&argv) else {
            panic!()
        };
        assert_eq!(ts[0].id(), "web");
        assert_eq!(
            ts[0].info["command"],
            json!({"shell": false, "value": "ls", "arguments": ["ls", "-l"],
            "environment": {"variables": [{"name": "X", "value": "1"}]},
            "uris": [{"value": "http://x/a.tgz", "extract": true, "executable": false, "cache": false}]})
        );
    }

    #[test]
    fn env_accepts_pairs_and_json() {
        let e = parse_env(&["A=1".into(), "B=x=y".into(), r#"{"C":"3","A":"2"}"#.into()]).unwrap();
        assert_eq!(
            e,
            vec![
                ("B".into(), "x=y".into()),
                ("C".into(), "3".into()),
                ("A".into(), "2".into())
            ]
        );
        assert_eq!(parse_env(&["nope".into()]).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn task_json_defaults_and_agent_pin() {
        let v = json!({"name": "t", "agent_id": {"value": "S1"}, "command": {"value": "true"},
            "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.5}}]});
        let p = task_from_json("--task", &v, &need()).unwrap();
        assert_eq!(p.id(), "t");
        assert_eq!(p.agent_id.as_deref(), Some("S1"));
        assert!(p.info.get("agent_id").is_none());
        assert_eq!(p.need.scalar("cpus"), 0.5);
        let p = task_from_json(
            "--task",
            &json!({"name": "u", "task_id": {"value": "u1"}}),
            &need(),
        )
        .unwrap();
        assert_eq!((p.id(), p.need.scalar("mem")), ("u1", 32.0));
        assert!(task_from_json("--task", &json!({"task_id": {"value": "x"}}), &need()).is_err());
        assert!(task_from_json("--task", &json!([1]), &need()).is_err());
    }

    #[test]
    fn groups_need_tasks_with_distinct_ids() {
        let g =
            group_from_json(&json!({"tasks": [{"name": "a"}, {"name": "b"}]}), &need()).unwrap();
        assert_eq!(g.tasks.len(), 2);
        assert_eq!(g.executor["type"], "DEFAULT");
        assert!(group_from_json(&json!({"tasks": []}), &need()).is_err());
        assert!(
            group_from_json(&json!({"tasks": [{"name": "a"}, {"name": "a"}]}), &need()).is_err()
        );
    }

    #[test]
    fn json_args_inline_or_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.json");
        std::fs::write(&p, r#"{"name": "x"}"#).unwrap();
        assert_eq!(
            read_json_arg("--task", p.to_str().unwrap()).unwrap()["name"],
            "x"
        );
        let url = format!("file://{}", p.display());
        assert_eq!(read_json_arg("--task", &url).unwrap()["name"], "x");
        assert_eq!(
            read_json_arg("--task", r#" {"name": "y"}"#).unwrap()["name"],
            "y"
        );
        assert_eq!(
            read_json_arg("--task", "/nonexistent.json")
                .unwrap_err()
                .exit_code(),
            2
        );
    }
}
