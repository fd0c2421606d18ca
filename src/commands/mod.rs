//! One module per subcommand; this file holds only the list and the dispatch.

pub mod completions;
pub mod config;
pub mod generate_docs;
pub mod resolve;
pub mod state;
// Task and node inspection.
pub mod agents;
pub mod cat;
pub mod download;
pub mod events;
pub mod files_common;
pub mod find;
pub mod frameworks;
pub mod ls;
pub mod node;
pub mod ps;
pub mod tail;
// Reaching nodes over SSH.
pub mod scp;
pub mod ssh;
// One-off tasks.
pub mod execute;
pub mod kill;
pub mod teardown;
// The bundled dev cluster.
pub mod cluster;

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
    Ps(ps::PsArgs),
    Frameworks(frameworks::FrameworksArgs),
    Agents(agents::AgentsArgs),
    Node(node::NodeArgs),
    Cat(cat::CatArgs),
    Head(cat::HeadArgs),
    Tail(tail::TailArgs),
    Ls(ls::LsArgs),
    Find(find::FindArgs),
    Download(download::DownloadArgs),
    Ssh(ssh::SshArgs),
    Scp(scp::ScpArgs),
    Events(events::EventsArgs),
    Execute(execute::ExecuteArgs),
    Kill(kill::KillArgs),
    Teardown(teardown::TeardownArgs),
    Cluster(cluster::ClusterArgs),
    /// Run the bundled Mesos master daemon (real Mesos flags and HTTP APIs)
    #[command(
        long_about = "Run the bundled Mesos master daemon.\n\nIt speaks the Mesos 1.x HTTP APIs (v0 endpoints, v1 operator and scheduler APIs), elects a leader through ZooKeeper with --zk, and takes the real mesos-master flags (--name=value, also MESOS_<NAME>). Run `mesos master --help` for the flag list."
    )]
    Master(DaemonArgs),
    /// Run the bundled Mesos agent daemon (runs real tasks in real sandboxes)
    #[command(
        long_about = "Run the bundled Mesos agent daemon.\n\nIt registers with the master given by --master (host:port or zk://), runs command tasks in sandboxes under --work_dir like the Mesos command executor, and serves the agent HTTP APIs (state, files, monitor, v1). Takes the real mesos-agent flags (--name=value, also MESOS_<NAME>). Run `mesos agent --help` for the flag list."
    )]
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
        Command::Ps(args) => block_on(ps::cmd_ps(global, args)),
        Command::Frameworks(args) => block_on(frameworks::cmd_frameworks(global, args)),
        Command::Agents(args) => block_on(agents::cmd_agents(global, args)),
        Command::Node(args) => block_on(node::cmd_node(global, args)),
        Command::Cat(args) => block_on(cat::cmd_cat(global, args)),
        Command::Head(args) => block_on(cat::cmd_head(global, args)),
        Command::Tail(args) => block_on(tail::cmd_tail(global, args)),
        Command::Ls(args) => block_on(ls::cmd_ls(global, args)),
        Command::Find(args) => block_on(find::cmd_find(global, args)),
        Command::Download(args) => block_on(download::cmd_download(global, args)),
        Command::Ssh(args) => block_on(ssh::cmd_ssh(global, args)),
        Command::Scp(args) => block_on(scp::cmd_scp(global, args)),
        Command::Events(args) => block_on(events::cmd_events(global, args)),
        Command::Execute(args) => execute::run(global, args),
        Command::Kill(args) => block_on(kill::cmd_kill(global, args)),
        Command::Teardown(args) => block_on(teardown::cmd_teardown(global, args)),
        Command::Cluster(args) => cluster::cmd_cluster(global, args),
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
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "FLAGS"
    )]
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
