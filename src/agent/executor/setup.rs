//! Setting up an executor's container, shared by command tasks and custom
//! executors: the sandbox (`stdout`, `stderr`, `runs/latest`), the
//! checkpoints recovery reads, the `/files` attachments, and the
//! environment real agents give executors.

use std::path::Path;

use serde_json::Value;

use super::ctx::Ctx;
use super::DEFAULT_PATH;
use crate::agent::model::parse_framework_info;
use crate::agent::paths::{self, symlink_atomic, write_atomic};
use crate::duration::format_mesos_duration;
use crate::wire::agent_v1::{CommandInfo, ExecutorInfo, TaskInfo};

/// `MESOS_SUBSCRIPTION_BACKOFF_MAX` of checkpointing custom executors (real
/// agents' default).
pub const SUBSCRIPTION_BACKOFF_MAX: &str = "2secs";

/// Checkpoint what recovery needs to know about a launch (Mesos layout
/// under `<work_dir>/meta`): `framework.info`, `executor.info`,
/// `runs/latest` and `runs/<container>/tasks/<task>/task.info`.
pub fn checkpoint_launch(
    meta: &Path,
    container_id: &str,
    tid: &str,
    framework: &serde_json::Value,
    executor_info: &ExecutorInfo,
    task: &TaskInfo,
) -> std::io::Result<()> {
    std::fs::create_dir_all(meta.join("pids"))?;
    let exec_meta = meta
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| std::io::Error::other("bad executor meta dir"))?;
    let fw_meta = exec_meta
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| std::io::Error::other("bad framework meta dir"))?;
    write_atomic(&fw_meta.join("framework.info"), &to_json(framework)?)?;
    write_atomic(&exec_meta.join("executor.info"), &to_json(executor_info)?)?;
    symlink_atomic(
        Path::new(container_id),
        &exec_meta.join("runs").join("latest"),
    )?;
    let task_meta = paths::task_meta_dir(meta, tid).map_err(std::io::Error::other)?;
    write_atomic(&task_meta.join("task.info"), &to_json(task)?)
}

/// A checkpointed message's bytes.
pub fn to_json<T: serde::Serialize>(v: &T) -> std::io::Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(std::io::Error::other)
}

pub fn prepare_sandbox(ctx: &Ctx, framework: &Value, task: &TaskInfo) -> std::io::Result<()> {
    let dir = &ctx.directory;
    std::fs::create_dir_all(dir)?;
    for name in ["stdout", "stderr"] {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(name))?;
    }
    let runs = dir.parent().expect("runs dir");
    symlink_atomic(Path::new(&ctx.container_id), &runs.join("latest"))?;
    let slaves = ctx.agent.cfg.work_dir.join("slaves");
    if std::fs::read_link(slaves.join("latest")).ok().as_deref() != Some(Path::new(&ctx.agent_id)) {
        symlink_atomic(Path::new(&ctx.agent_id), &slaves.join("latest"))?;
    }
    // Checkpoints (normally written by `launch` already).
    let meta = &ctx.meta_dir;
    let checkpointed =
        paths::task_meta_dir(meta, &ctx.tid).is_ok_and(|d| d.join("task.info").is_file());
    if !checkpointed {
        let info = ctx
            .agent
            .lock()
            .executor(&ctx.fid, &ctx.eid)
            .map(|e| e.info.clone())
            .unwrap_or_default();
        checkpoint_launch(meta, &ctx.container_id, &ctx.tid, framework, &info, task)?;
    }
    Ok(())
}

pub fn attach_sandbox(ctx: &Ctx) {
    let files = &ctx.agent.files;
    let dir = &ctx.directory;
    files.attach(&dir.to_string_lossy(), dir);
    let latest = dir.parent().expect("runs dir").join("latest");
    files.attach(&latest.to_string_lossy(), dir);
    files.attach(
        &format!("/frameworks/{}/executors/{}/runs/latest", ctx.fid, ctx.eid),
        dir,
    );
}

/// Environment of an executor: agent's (or `--executor_environment_variables`),
/// then the MESOS_* executor variables, then the command's own variables
/// (`command`: the task's for a command task, the executor's for a custom
/// one). `task_id` is set for command tasks (`MESOS_TASK_ID`); `custom`
/// executors get `MESOS_RECOVERY_TIMEOUT` and
/// `MESOS_SUBSCRIPTION_BACKOFF_MAX` only when the framework checkpoints, as
/// real agents give them.
pub fn executor_env(
    ctx: &Ctx,
    framework: &Value,
    task_id: Option<&str>,
    command: Option<&CommandInfo>,
    custom: bool,
) -> Vec<(String, String)> {
    let cfg = &ctx.agent.cfg;
    let mut env: Vec<(String, String)> = match &cfg.executor_env {
        Some(e) => e.clone(),
        None => std::env::vars()
            .filter(|(k, _)| !k.starts_with("MESOS_") && !k.starts_with("LIBPROCESS_"))
            .collect(),
    };
    let set = |env: &mut Vec<(String, String)>, k: &str, v: String| {
        env.retain(|(ek, _)| ek != k);
        env.push((k.to_string(), v));
    };
    if !env.iter().any(|(k, _)| k == "PATH") {
        set(&mut env, "PATH", DEFAULT_PATH.to_string());
    }
    if !env.iter().any(|(k, _)| k == "HOME") {
        set(
            &mut env,
            "HOME",
            ctx.directory.to_string_lossy().into_owned(),
        );
    }
    let dir = ctx.directory.to_string_lossy().into_owned();
    set(&mut env, "MESOS_FRAMEWORK_ID", ctx.fid.clone());
    set(&mut env, "MESOS_EXECUTOR_ID", ctx.eid.clone());
    if let Some(tid) = task_id {
        set(&mut env, "MESOS_TASK_ID", tid.to_string());
    }
    set(&mut env, "MESOS_DIRECTORY", dir.clone());
    set(&mut env, "MESOS_SANDBOX", dir);
    set(&mut env, "MESOS_AGENT_ENDPOINT", cfg.endpoint());
    set(&mut env, "MESOS_SLAVE_ID", ctx.agent_id.clone());
    set(&mut env, "MESOS_SLAVE_PID", cfg.pid());
    // A non-checkpointing framework's executor does not outlive its agent
    // (see [`watch_agent`]).
    let checkpoint = parse_framework_info(framework).checkpoint;
    set(
        &mut env,
        "MESOS_CHECKPOINT",
        if checkpoint { "1" } else { "0" }.into(),
    );
    set(&mut env, "MESOS_HTTP_COMMAND_EXECUTOR", "0".into());
    set(&mut env, "MESOS_CONTAINER_IP", cfg.advertise_ip.clone());
    set(
        &mut env,
        "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD",
        format_mesos_duration(cfg.executor_shutdown_grace_period),
    );
    if !custom || checkpoint {
        set(
            &mut env,
            "MESOS_RECOVERY_TIMEOUT",
            cfg.flags
                .get("recovery_timeout")
                .unwrap_or("15mins")
                .to_string(),
        );
    }
    if custom && checkpoint {
        set(
            &mut env,
            "MESOS_SUBSCRIPTION_BACKOFF_MAX",
            SUBSCRIPTION_BACKOFF_MAX.to_string(),
        );
    }
    // The default executor's wire (a debugging switch) passes through from
    // the agent's environment, which otherwise keeps its MESOS_* to itself.
    if let Ok(w) = std::env::var("MESOS_DEFAULT_EXECUTOR_WIRE") {
        set(&mut env, "MESOS_DEFAULT_EXECUTOR_WIRE", w);
    }
    // `--authenticate_http_executors`: the executor's token (never logged).
    if let Some(key) = &cfg.executor_key {
        let claims =
            crate::daemon::jwt::executor_claims(&ctx.fid, &ctx.eid, Some(&ctx.container_id));
        set(&mut env, crate::daemon::jwt::TOKEN_VAR, key.sign(&claims));
    }
    let variables = command
        .and_then(|c| c.environment.as_ref())
        .map(|e| e.variables.as_slice())
        .unwrap_or_default();
    for v in variables {
        if v.name.is_empty() {
            continue;
        }
        if v.kind.as_deref() == Some("SECRET") {
            crate::warning!(
                "Ignoring secret environment variable '{}' of executor {}: secrets are not supported",
                v.name,
                ctx.eid
            );
            continue;
        }
        set(&mut env, &v.name, v.value.clone().unwrap_or_default());
    }
    env
}
