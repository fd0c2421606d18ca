//! One module per subcommand; this file holds only the list and the dispatch.

pub mod completions;
pub mod config;
pub mod generate_docs;
pub mod resolve;
pub mod state;

use clap::Subcommand;

use crate::cli::GlobalArgs;
use crate::error::Result;

/// Every `mesos` subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    Resolve(resolve::ResolveArgs),
    State(state::StateArgs),
    Config(config::ConfigArgs),
    Completions(completions::CompletionsArgs),
    /// Run the bundled Mesos master daemon (real Mesos flags and HTTP APIs)
    #[command(long_about = "Run the bundled Mesos master daemon.\n\nIt speaks the Mesos 1.x HTTP APIs (v0 endpoints, v1 operator and scheduler APIs), elects a leader through ZooKeeper with --zk, and takes the real mesos-master flags (--name=value, also MESOS_<NAME>). Run `mesos master --help` for the flag list.")]
    Master(DaemonArgs),
    /// Run the bundled Mesos agent daemon (runs real tasks in real sandboxes)
    #[command(long_about = "Run the bundled Mesos agent daemon.\n\nIt registers with the master given by --master (host:port or zk://), runs command tasks in sandboxes under --work_dir like the Mesos command executor, and serves the agent HTTP APIs (state, files, monitor, v1). Takes the real mesos-agent flags (--name=value, also MESOS_<NAME>). Run `mesos agent --help` for the flag list.")]
    Agent(DaemonArgs),
    #[command(hide = true)]
    GenerateDocs(generate_docs::GenerateDocsArgs),
}

/// Run one command on a runtime suited to a short-lived CLI.
pub fn run(global: &GlobalArgs, command: &Command) -> Result<()> {
    match command {
        // Commands that need no cluster and no runtime.
        Command::Completions(args) => completions::cmd_completions(args),
        Command::GenerateDocs(args) => generate_docs::cmd_generate_docs(args),
        Command::Config(args) => config::cmd_config(global, args),
        Command::Resolve(args) => block_on(resolve::cmd_resolve(global, args)),
        Command::State(args) => block_on(state::cmd_state(global, args)),
        // Normally dispatched before clap parses (see `crate::run`).
        Command::Master(a) => daemon_exit(crate::master::main(a.flags.clone())),
        Command::Agent(a) => daemon_exit(crate::agent::main(a.flags.clone())),
    }
}

/// Flags of a bundled daemon, in real Mesos syntax.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  mesos master --ip=127.0.0.1 --port=5050 --work_dir=/tmp/mesos-master
  mesos master --zk=zk://127.0.0.1:2181/mesos --quorum=1 --work_dir=/var/lib/mesos
  mesos agent --master=127.0.0.1:5050 --work_dir=/tmp/mesos-agent --resources='cpus:2;mem:1024'")]
pub struct DaemonArgs {
    /// Daemon flags (--name=value)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "FLAGS")]
    pub flags: Vec<String>,
}

fn daemon_exit(code: u8) -> Result<()> {
    if code == 0 {
        Ok(())
    } else {
        std::process::exit(code as i32)
    }
}

/// A current-thread tokio runtime: starts in microseconds, enough for the CLI.
pub fn block_on<F: std::future::Future<Output = Result<()>>>(f: F) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::Error::failed(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(f)
}
