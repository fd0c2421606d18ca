//! What to launch: TaskInfo templates built from the command line, or read
//! from `--task` / `--task-group` JSON (upstream `mesos-execute` syntax: a
//! JSON string, a path, or a `file://` URL; `agent_id` may be omitted).
//! `agent_id` and `resources` are filled in from the offer at launch time.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::resources::Resources;
use crate::wire::agent_v1::{
    CommandInfo, CommandUri, DurationInfo, EnvVariable, Environment, ExecutorInfo, Extra, Id,
    KillPolicy, TaskInfo,
};
use crate::wire::container::ContainerInfo;

/// Resources of the DEFAULT executor that runs a task group (as upstream).
pub const DEFAULT_EXECUTOR_RESOURCES: &str = "cpus:0.1;mem:32;disk:32";
/// Executor id of the DEFAULT executor.
pub const DEFAULT_EXECUTOR_ID: &str = "default-executor";

/// One task to launch.
#[derive(Clone, Debug)]
pub struct TaskPlan {
    /// TaskInfo without `agent_id`; `resources` are replaced at launch.
    pub info: TaskInfo,
    /// What to carve from an offer.
    pub need: Resources,
    /// The agent the TaskInfo asked for (`--task` with `agent_id`).
    pub agent_id: Option<String>,
}

impl TaskPlan {
    pub fn id(&self) -> &str {
        &self.info.task_id.value
    }
    pub fn name(&self) -> &str {
        self.info.name.as_deref().unwrap_or("")
    }
}

/// A task group, run by a DEFAULT executor.
#[derive(Clone, Debug)]
pub struct GroupPlan {
    /// ExecutorInfo without `framework_id` and `resources`.
    pub executor: ExecutorInfo,
    pub executor_need: Resources,
    pub tasks: Vec<TaskPlan>,
}

/// Everything to launch.
#[derive(Clone, Debug)]
pub enum Plan {
    /// Independent tasks (command executor each), packed into offers.
    Tasks(Vec<TaskPlan>),
    /// One group, all on one agent.
    Group(Box<GroupPlan>),
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
    /// A TTY for the command (`--tty`): a MESOS container with `tty_info`.
    pub tty: bool,
}

/// `DurationInfo` (nanoseconds).
pub fn duration_info(d: Duration) -> DurationInfo {
    DurationInfo {
        nanoseconds: d.as_nanos().min(i64::MAX as u128) as i64,
    }
}

/// `KillPolicy` with a grace period.
pub fn kill_policy(grace: Duration) -> KillPolicy {
    KillPolicy {
        grace_period: Some(duration_info(grace)),
        other: Extra::new(),
    }
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
        CommandSpec::Shell(c) => CommandInfo {
            shell: Some(true),
            value: Some(c.clone()),
            ..CommandInfo::default()
        },
        CommandSpec::Argv(a) => CommandInfo {
            shell: Some(false),
            value: Some(a[0].clone()),
            arguments: a.clone(),
            ..CommandInfo::default()
        },
    };
    if !t.env.is_empty() {
        let variables = t
            .env
            .iter()
            .map(|(k, v)| EnvVariable {
                name: k.clone(),
                kind: None,
                value: Some(v.clone()),
                other: Extra::new(),
            })
            .collect();
        command.environment = Some(Environment { variables });
    }
    command.uris = t
        .uris
        .iter()
        .map(|u| CommandUri {
            value: u.clone(),
            extract: Some(t.extract),
            executable: Some(false),
            cache: Some(false),
            output_file: None,
        })
        .collect();
    command.user = t.user.clone();
    let tasks = task_ids(&t.name, t.instances)
        .into_iter()
        .map(|id| {
            let info = TaskInfo {
                name: Some(t.name.clone()),
                task_id: Id::new(id),
                command: Some(command.clone()),
                container: command_container(t).map(|c| message(&c)),
                kill_policy: t.grace.map(kill_policy),
                ..TaskInfo::default()
            };
            TaskPlan {
                info,
                need: t.need.clone(),
                agent_id: None,
            }
        })
        .collect();
    Plan::Tasks(tasks)
}

/// A typed message in the JSON form a `TaskInfo` field keeps.
fn message<T: serde::Serialize>(m: &T) -> Json {
    serde_json::to_value(m).expect("messages serialize")
}

/// The ContainerInfo of a command task: `--docker-image`, `--tty`, both or none.
fn command_container(t: &CommandTask) -> Option<ContainerInfo> {
    let mut c = match &t.docker_image {
        Some((image, kind)) => container_info(image, *kind),
        None if t.tty => return Some(ContainerInfo::mesos_tty()),
        None => return None,
    };
    if t.tty {
        c.tty_info = Some(Default::default());
    }
    Some(c)
}

/// ContainerInfo for `--docker-image` (as upstream `mesos-execute`).
pub fn container_info(image: &str, kind: Containerizer) -> ContainerInfo {
    match kind {
        Containerizer::Docker => ContainerInfo::docker(image),
        Containerizer::Mesos => ContainerInfo::mesos_docker_image(image),
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
            let v: serde_json::Map<String, Json> = serde_json::from_str(t)
                .map_err(|e| Error::usage(format!("--env '{raw}' is not a JSON object: {e}")))?;
            for (k, v) in v {
                let v = match v {
                    Json::String(s) => s,
                    other => other.to_string(),
                };
                put(k, v);
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
    if !v.is_object() {
        return Err(Error::usage(format!(
            "{flag}: a TaskInfo must be a JSON object"
        )));
    }
    let invalid = |e: serde_json::Error| Error::usage(format!("{flag}: not a valid TaskInfo: {e}"));
    let given = Given::deserialize(v).map_err(invalid)?;
    let mut info = TaskInfo::deserialize(v).map_err(invalid)?;
    let name = info
        .name
        .clone()
        .ok_or_else(|| Error::usage(format!("{flag}: the TaskInfo has no \"name\"")))?;
    if info.task_id.value.is_empty() {
        if given.task_id.is_some() {
            return Err(Error::usage(format!(
                "{flag}: \"task_id\" must be {{\"value\": \"...\"}}"
            )));
        }
        info.task_id = Id::new(name.as_str());
    }
    let agent_id = info.agent_id.take().map(|a| a.value);
    info.other.remove("slave_id");
    let need = if given.resources.is_none() {
        default_need.clone()
    } else {
        Resources::from_wire(&info.resources)
            .map_err(|e| Error::usage(format!("{flag}: task '{name}': {e}")))?
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

/// Which of the TaskInfo's defaulted fields were given (not absent or `null`).
#[derive(Deserialize)]
struct Given {
    #[serde(default)]
    task_id: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    resources: Option<serde::de::IgnoredAny>,
}

/// `TaskGroupInfo` as `--task-group` gives it.
#[derive(Deserialize)]
struct TaskGroupInfo {
    #[serde(default, deserialize_with = "crate::wire::de::vec")]
    tasks: Vec<Json>,
}

/// A TaskGroupInfo from `--task-group`, with the DEFAULT executor.
pub fn group_from_json(v: &Json, default_need: &Resources) -> Result<GroupPlan> {
    let flag = "--task-group";
    let expected = || {
        Error::usage(format!(
            "{flag}: expected a TaskGroupInfo {{\"tasks\": [TaskInfo, ...]}}"
        ))
    };
    let group = TaskGroupInfo::deserialize(v).map_err(|_| expected())?;
    if group.tasks.is_empty() {
        return Err(expected());
    }
    let mut plans = Vec::new();
    for t in &group.tasks {
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
        executor: ExecutorInfo {
            kind: Some("DEFAULT".into()),
            executor_id: Id::new(DEFAULT_EXECUTOR_ID),
            ..ExecutorInfo::default()
        },
        executor_need: Resources::parse(DEFAULT_EXECUTOR_RESOURCES, "*").expect("static resources"),
        tasks: plans,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
            tty: false,
        };
        let Plan::Tasks(ts) = command_plan(&t) else {
            panic!()
        };
        assert_eq!(
            ts.iter().map(|t| t.id()).collect::<Vec<_>>(),
            ["web-1", "web-2", "web-3"]
        );
        // The JSON the hand-built TaskInfo had (resources are filled in
        // from the offer at launch).
        assert_eq!(
            serde_json::to_value(&ts[0].info).unwrap(),
            json!({"name": "web", "task_id": {"value": "web-1"}, "resources": [],
                "command": {"shell": true, "value": "echo $X",
                    "environment": {"variables": [{"name": "X", "value": "1"}]},
                    "uris": [{"value": "http://x/a.tgz", "extract": true, "executable": false, "cache": false}]},
                "container": {"type": "DOCKER", "docker": {"image": "alpine", "network": "HOST"}},
                "kill_policy": {"grace_period": {"nanoseconds": 2_000_000_000i64}}})
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
        assert!(ts[0].info.container.is_none());
        let tty = CommandTask {
            tty: true,
            ..argv.clone()
        };
        let Plan::Tasks(tt) = command_plan(&tty) else {
            panic!()
        };
        assert_eq!(
            tt[0].info.container,
            Some(json!({"type": "MESOS", "tty_info": {}}))
        );
        assert_eq!(
            serde_json::to_value(&ts[0].info.command).unwrap(),
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
        assert!(p.info.agent_id.is_none());
        assert_eq!(p.need.scalar("cpus"), 0.5);
        // Everything else of the TaskInfo is sent as given.
        let p = task_from_json(
            "--task",
            &json!({"name": "k", "slave_id": {"value": "S0"}, "labels": {"labels": [{"key": "a"}]},
                "max_completion_time": {"nanoseconds": 5}}),
            &need(),
        )
        .unwrap();
        let v = serde_json::to_value(&p.info).unwrap();
        assert_eq!(v["task_id"], json!({"value": "k"}));
        assert_eq!(v["labels"], json!({"labels": [{"key": "a"}]}));
        assert_eq!(v["max_completion_time"], json!({"nanoseconds": 5}));
        assert!(v.get("slave_id").is_none());
        let p = task_from_json(
            "--task",
            &json!({"name": "u", "task_id": {"value": "u1"}}),
            &need(),
        )
        .unwrap();
        assert_eq!((p.id(), p.need.scalar("mem")), ("u1", 32.0));
        assert!(task_from_json("--task", &json!({"task_id": {"value": "x"}}), &need()).is_err());
        assert!(task_from_json("--task", &json!([1]), &need()).is_err());
        // An empty task id or resource list is an error, not a default.
        let e = task_from_json(
            "--task",
            &json!({"name": "x", "task_id": {"value": ""}}),
            &need(),
        )
        .unwrap_err();
        assert!(e.message.contains("task_id"), "{}", e.message);
        let e = task_from_json("--task", &json!({"name": "x", "resources": []}), &need());
        assert!(e.unwrap_err().message.contains("uses no resources"));
    }

    #[test]
    fn groups_need_tasks_with_distinct_ids() {
        let g =
            group_from_json(&json!({"tasks": [{"name": "a"}, {"name": "b"}]}), &need()).unwrap();
        assert_eq!(g.tasks.len(), 2);
        assert_eq!(
            serde_json::to_value(&g.executor).unwrap(),
            json!({"type": "DEFAULT", "executor_id": {"value": DEFAULT_EXECUTOR_ID}})
        );
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
