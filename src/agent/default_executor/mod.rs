//! The default executor (Mesos' `mesos-default-executor`): what the agent
//! runs for a LAUNCH_GROUP (`ExecutorInfo.type` DEFAULT). A real executor
//! process of our own binary (`mesos agent --internal-default-executor`)
//! that speaks the v1 executor API to the agent (`crate::wire::executor`)
//! and runs each task of the group as a nested container through the
//! agent operator API (LAUNCH_NESTED_CONTAINER / WAIT_NESTED_CONTAINER /
//! KILL_NESTED_CONTAINER), with its sandbox at `tasks/<task id>` in the
//! executor's sandbox. docs/agent-design.md#task-groups-and-the-default-executor.
//!
//! CONTRACT (lead): [`command`] and [`ARG`] are what the agent's executor
//! launcher uses (`agent::config` holds them); the defexec lane fills
//! [`main`].

pub mod client;
pub mod config;
pub mod group;
pub mod health;
pub mod run;

/// The hidden `mesos agent` argument that runs the default executor.
pub use super::config::INTERNAL_DEFAULT_EXECUTOR as ARG;

/// The CommandInfo the agent launches a DEFAULT executor with (defined
/// with the agent's configuration, below the executor launcher that uses
/// it; this module sits above `executor`, whose health checker it uses).
pub use super::config::default_executor_command as command;

/// Entry point of the executor process (environment from the agent:
/// `MESOS_AGENT_ENDPOINT`, `MESOS_FRAMEWORK_ID`, `MESOS_EXECUTOR_ID`,
/// `MESOS_SANDBOX`, ...). Returns the process exit code.
pub fn main() -> u8 {
    let settings = match config::Settings::from_lookup(|k| std::env::var(k).ok()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the executor runtime: {e}");
            return 1;
        }
    };
    rt.block_on(run::run(settings))
}
